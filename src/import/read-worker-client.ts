// Runs read-file.ts in a worker thread, so that parsing and validation use the second core while
// this thread (and, embedded, PGlite) writes to the database. Falls back to reading inline when
// no worker can be started.
import { Worker } from 'node:worker_threads'
import { moduleLogger } from '../logger.ts'
import { readFileEvents, type ReadEvent, type ReadRequest } from './read-file.ts'

const log = moduleLogger('import')

type WorkerMessage = ReadEvent | { kind: 'done' } | { kind: 'error'; message: string }

export async function* readInWorker(request: ReadRequest): AsyncGenerator<ReadEvent> {
  let worker: Worker
  try {
    worker = new Worker(new URL('./read-worker.mjs', import.meta.url), { workerData: request })
  } catch (e) {
    log.warn({ err: e }, 'no worker thread; reading inline')
    yield* readFileEvents(request)
    return
  }
  const queue: WorkerMessage[] = []
  let wake: (() => void) | undefined
  let failure: Error | undefined
  let exited = false
  worker.on('message', (m: WorkerMessage) => { queue.push(m); wake?.() })
  worker.on('error', (e) => { failure = e; wake?.() })
  worker.on('exit', () => { exited = true; wake?.() })
  try {
    while (true) {
      while (queue.length === 0) {
        if (failure) throw failure
        if (exited) throw new Error('the import reader stopped unexpectedly')
        await new Promise<void>((resolve) => { wake = resolve })
        wake = undefined
      }
      const message = queue.shift()!
      if (message.kind === 'done') return
      if (message.kind === 'error') throw new Error(message.message)
      yield message
      if (message.kind === 'rows') worker.postMessage('ack') // consumed: the reader may go on
    }
  } finally {
    await worker.terminate()
  }
}
