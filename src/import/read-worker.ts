// Worker thread: reads import files (read-file.ts) one after another, as the importer asks, and posts their events,
// at most a few batches ahead of what the importer has written (bounded memory). One worker serves a whole import:
// starting one costs more than a small file takes to read.
import { parentPort } from 'node:worker_threads'
import { readFileEvents, type ReadRequest } from './read-file.ts'

// batches parsed ahead of the importer: a bulk load's next file is read while this one's indexes are rebuilt
const AHEAD = 4
let credit = AHEAD
let wake: (() => void) | undefined
const requests: ReadRequest[] = []
parentPort!.on('message', (message: 'ack' | ReadRequest) => {
  if (message === 'ack') credit++
  else requests.push(message)
  wake?.()
})

const next = () => new Promise<void>((resolve) => { wake = resolve })

while (true) {
  while (requests.length === 0) await next()
  const request = requests.shift()!
  credit = AHEAD
  try {
    for await (const event of readFileEvents(request)) {
      parentPort!.postMessage(event)
      if (event.kind === 'rows' || event.kind === 'copy') {
        credit--
        while (credit <= 0) await next()
      }
    }
    parentPort!.postMessage({ kind: 'done' })
  } catch (e) {
    parentPort!.postMessage({ kind: 'error', message: e instanceof Error ? e.message : String(e) })
  }
}
