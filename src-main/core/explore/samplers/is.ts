// Independent sampling (IS): attempts from scratch, one episode each, until the budget is spent;
// nothing carries from one attempt to the next.
import { endAttempt, freshAttempt, type Sampler } from './sampler.ts'

export const isSampler: Sampler = {
  name: 'is',
  reflects: false,
  reflectsMidLine: false,
  start: (ctx) => ({
    next: () => freshAttempt(ctx, 'is'),
    codeAt: () => undefined,
    reflected: () => {},
    lineEnded: (line, success) => endAttempt(ctx.recorder, line, success),
    abandon: () => [],
    finish: () => {},
  }),
}
