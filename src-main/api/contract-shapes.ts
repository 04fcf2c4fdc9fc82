// The small shapes every part of the contract is written with: ids, bounded text, no input, and
// the method entry (input schema, output schema, what it does). Pure: no Node, no Electron.
import { z } from 'zod'

export const Int = z.number().int()
export const RowId = Int.positive()
export const ById = z.object({ id: RowId }).strict()
export const Empty = z.object({}).strict()
export const Text = (max: number) => z.string().max(max)

export type MethodSpec<I extends z.ZodType, O extends z.ZodType> = { input: I; output: O; doc: string }
export const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, doc: string): MethodSpec<I, O> => ({ input, output, doc })
