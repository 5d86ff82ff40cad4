// postinstall: builds the web console into web/dist (what `sverka serve` serves at /), so that a fresh clone's
// `npm ci` is all a newcomer runs. Vite is a devDependency: an install without them (--omit=dev) skips the
// build with one line, and the server's / then says how to build it.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
if (!existsSync(`${root}node_modules/vite/package.json`)) {
  console.log('web console not built: its build tools are devDependencies (npm ci without --omit=dev builds it)')
} else {
  const { build } = await import('vite')
  await build({ configFile: `${root}web/vite.config.ts` })
}
