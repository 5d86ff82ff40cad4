// Worker thread entry: TypeScript sources load through tsx, as in the `sverka` command itself.
import { register } from 'tsx/esm/api'

register()
await import('./read-worker.ts')
