import { describe, expect, it } from 'vitest'
import { eachConcurrently } from '../src/concurrency.ts'

const tick = () => new Promise((resolve) => setTimeout(resolve, 5))

describe('eachConcurrently', () => {
  it('runs every item, never more than the limit at a time, starting them in order', async () => {
    const started: number[] = []
    let running = 0, most = 0
    await eachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      started.push(n)
      most = Math.max(most, ++running)
      await tick()
      running--
    })
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(most).toBe(3)
  })

  it('starts nothing after the first failure, lets the started ones settle, then throws the first failure', async () => {
    const started: number[] = [], settled: number[] = []
    const run = eachConcurrently([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n)
      await tick()
      if (n === 1) throw new Error('first')
      if (n === 2) { await tick(); settled.push(n); throw new Error('second') }
      settled.push(n)
    })
    await expect(run).rejects.toThrow('first')
    expect(started).toEqual([1, 2])
    expect(settled).toEqual([2])
  })
})
