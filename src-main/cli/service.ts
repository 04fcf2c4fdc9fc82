import type { Input, MethodName, Output } from '../api/contract.ts'
import { dispatch } from '../api/dispatch.ts'
import { createService } from '../api/service.ts'
import type { Engine } from '../core/engine.ts'
import { UsageError } from './args.ts'

/**
 * A contract method from the command line, validated like any other client's call: a bad input
 * is a usage error naming each field, anything else the engine refuses is an error with its reason.
 */
export async function callEngine<M extends MethodName>(engine: Engine, method: M, input: Input<M>): Promise<Output<M>> {
  const reply = await dispatch(createService(engine), method, input)
  if (reply.ok) return reply.result as Output<M>
  const { code, message, issues } = reply.error
  if (code === 'bad_request' && issues?.length) throw new UsageError(issues.map((i) => `${i.path}: ${i.message}`).join('; '))
  throw new Error(message)
}
