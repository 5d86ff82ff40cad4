// Worker thread: reads one import file (read-file.ts) and posts its events to the importer,
// at most a few batches ahead of what the importer has written (bounded memory).
import { parentPort, workerData } from 'node:worker_threads'
import { readFileEvents, type ReadRequest } from './read-file.ts'

const AHEAD = 2
let credit = AHEAD
let wake: (() => void) | undefined
parentPort!.on('message', (message: 'ack') => {
  if (message === 'ack') { credit++; wake?.() }
})

try {
  for await (const event of readFileEvents(workerData as ReadRequest)) {
    parentPort!.postMessage(event)
    if (event.kind === 'rows') {
      credit--
      while (credit <= 0) await new Promise<void>((resolve) => { wake = resolve })
    }
  }
  parentPort!.postMessage({ kind: 'done' })
} catch (e) {
  parentPort!.postMessage({ kind: 'error', message: e instanceof Error ? e.message : String(e) })
}
