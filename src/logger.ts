// Structured logging: one root pino logger, a child per module.
import { pino } from 'pino'

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
  base: undefined,
}, pino.destination(2))

export function moduleLogger(module: string) {
  return logger.child({ module })
}
