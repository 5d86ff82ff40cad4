// Builds the console into web/dist, which `sverka serve` serves at `/` (src/http/console.ts).
// Run at install (postinstall) and by `npm run web:build`; `npm run web:dev` serves it with /graphql proxied.
import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: { '/graphql': process.env.SVERKA_URL ?? 'http://127.0.0.1:4000' },
  },
})
