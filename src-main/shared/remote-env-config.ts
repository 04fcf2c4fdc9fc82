// A remote environment as the workbench stores it: a server, the profile it speaks, the task
// index ranges of each split, and limits. Pure zod: the API contract uses it.
import { z } from 'zod'
import { HttpUrl, Name } from './endpoint-config.ts'
import { RemoteProfile } from './remote-profile.ts'

const Index = z.number().int().min(0).max(2 ** 31)

/** split → [from, to): the server's task indices (data_idx / game / session_id) of that split. */
export const Splits = z
  .record(z.string().min(1).max(50), z.tuple([Index, Index]))
  .superRefine((splits, ctx) => {
    const entries = Object.entries(splits)
    if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'name at least one split, e.g. {"test": [0, 200]}' })
    for (const [name, [from, to]] of entries) {
      if (from >= to) ctx.addIssue({ code: 'custom', path: [name], message: `[${from}, ${to}) is empty: "from" must be below "to"` })
    }
    // Train and test must never share a task.
    for (let i = 0; i < entries.length; i++) {
      for (let j = i + 1; j < entries.length; j++) {
        const [a, [af, at]] = entries[i]!
        const [b, [bf, bt]] = entries[j]!
        if (af < bt && bf < at) ctx.addIssue({ code: 'custom', path: [b], message: `overlaps split "${a}" ([${af}, ${at}) and [${bf}, ${bt}))` })
      }
    }
  })
export type Splits = z.infer<typeof Splits>

export const RemoteEnvInput = z
  .object({
    name: Name,
    baseUrl: HttpUrl('http://127.0.0.1:36001'),
    /** A built-in profile's name (alfworld, webshop, sciworld) or a whole profile. */
    profile: z.union([z.string().min(1).max(64), RemoteProfile]),
    splits: Splits,
    /** Steps after which an episode ends as failed (the servers have no limit of their own). */
    maxSteps: z.number().int().min(1).max(10_000).default(40),
    /** Per request, seconds: a server that does not answer in time ends the episode as an error. */
    timeoutS: z.number().positive().max(3600).default(60),
  })
  .strict()
export type RemoteEnvInput = z.input<typeof RemoteEnvInput>

export type RemoteEnvRecord = Omit<z.output<typeof RemoteEnvInput>, 'profile'> & { id: number; profile: RemoteProfile }
