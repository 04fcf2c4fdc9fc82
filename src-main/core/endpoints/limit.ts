/**
 * At most `max` holders at once, served first come first served: one endpoint's requests from
 * every caller in a process (a policy's batch, the reflector) share its concurrency limit.
 */
export class Limiter {
  private active = 0
  private readonly waiting: (() => void)[] = []

  constructor(readonly max: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve))
    else this.active++
    try {
      return await fn()
    } finally {
      const next = this.waiting.shift()
      // The slot passes straight to the next waiter, so a newcomer cannot overtake it.
      if (next) next()
      else this.active--
    }
  }
}
