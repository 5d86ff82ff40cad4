// Work spread over a few lanes: detection runs rules side by side, a bulk merge runs groups side by side.

/**
 * Runs `fn` over `items`, at most `limit` at a time, each item started in order. After the first failure no new
 * item starts; the first failure is thrown once the started ones have settled (nothing is left running behind it).
 */
export async function eachConcurrently<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const failures: unknown[] = []
  const lane = async () => {
    while (failures.length === 0 && next < items.length) {
      const item = items[next++]
      try {
        await fn(item)
      } catch (error) {
        failures.push(error)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
  if (failures.length > 0) throw failures[0]
}
