#!/usr/bin/env node
// The `sverka` command: runs the TypeScript sources through tsx (no build step).
import { register } from 'tsx/esm/api'

register()
// commands speak for themselves on stdout; structured logs only for warnings unless asked
process.env.LOG_LEVEL ??= 'warn'
await import('./main.ts')
