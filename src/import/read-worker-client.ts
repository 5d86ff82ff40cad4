// Runs read-file.ts in a worker thread, so that parsing and validation use the second core while
// this thread (and, embedded, PGlite) writes to the database. One worker reads every large file of an import, one
// after another; without a worker, files are read inline.
import { Worker } from 'node:worker_threads'
import { moduleLogger } from '../logger.ts'
import { readFileEvents, type ReadEvent, type ReadRequest } from './read-file.ts'

const log = moduleLogger('import')

type WorkerMessage = ReadEvent | { kind: 'done' } | { kind: 'error'; message: string }

/** The import's reader thread: started once, asked for one file at a time, stopped with close(). */
export class ReadWorker {
  private worker: Worker | undefined
  private readonly queue: WorkerMessage[] = []
  private wake: (() => void) | undefined
  private failure: Error | undefined
  private exited = false
  private busy = false
  /** a file the thread was asked to start on before its turn (its events queue up behind the current file's) */
  private prefetched: ReadRequest | undefined

  /** Starts the thread now, so that it has loaded its modules by the time the first large file comes. */
  start() {
    if (this.worker || this.failure) return
    try {
      const worker = new Worker(new URL('./read-worker.mjs', import.meta.url))
      // a thread closed to start another one says nothing more
      worker.on('message', (m: WorkerMessage) => { if (this.worker === worker) { this.queue.push(m); this.wake?.() } })
      worker.on('error', (e) => { if (this.worker === worker) { this.failure = e; this.wake?.() } })
      worker.on('exit', () => { if (this.worker === worker) { this.exited = true; this.wake?.() } })
      this.worker = worker
    } catch (e) {
      log.warn({ err: e }, 'no worker thread; reading inline')
      this.failure = e as Error
    }
  }

  /** Asks the thread to start reading `request` as soon as it is done with the current file. */
  prefetch(request: ReadRequest) {
    this.start()
    if (!this.worker || this.prefetched) return
    this.prefetched = request
    this.worker.postMessage(request)
  }

  async *read(request: ReadRequest): AsyncGenerator<ReadEvent> {
    if (this.prefetched && !sameRequest(this.prefetched, request)) {
      // started on another reading of the file (its table was filled meanwhile): that one is of no use
      await this.close()
      this.worker = undefined
      this.failure = undefined
      this.exited = false
      this.queue.length = 0
      this.prefetched = undefined
    }
    this.start()
    if (!this.worker) {
      yield* readFileEvents(request)
      return
    }
    if (this.busy) throw new Error('the import reader reads one file at a time')
    this.busy = true
    const worker = this.worker
    let done = false
    try {
      if (this.prefetched) this.prefetched = undefined
      else worker.postMessage(request)
      while (true) {
        while (this.queue.length === 0) {
          if (this.failure) throw this.failure
          if (this.exited) throw new Error('the import reader stopped unexpectedly')
          await new Promise<void>((resolve) => { this.wake = resolve })
          this.wake = undefined
        }
        const message = this.queue.shift()!
        if (message.kind === 'done') { done = true; return }
        if (message.kind === 'error') { done = true; throw new Error(message.message) }
        yield message
        if (message.kind === 'rows' || message.kind === 'copy') worker.postMessage('ack') // consumed: the reader may go on
      }
    } finally {
      this.busy = false
      // a file left half read (its import failed) leaves the thread mid-file: it cannot serve another one
      if (!done) await this.close()
    }
  }

  async close() {
    const worker = this.worker
    this.worker = undefined
    this.prefetched = undefined
    this.failure ??= new Error('the import reader was closed')
    if (worker) await worker.terminate()
  }
}

function sameRequest(a: ReadRequest, b: ReadRequest) {
  return a.path === b.path && a.file === b.file && a.encoding === b.encoding && a.batchSize === b.batchSize && a.copy === b.copy
}
