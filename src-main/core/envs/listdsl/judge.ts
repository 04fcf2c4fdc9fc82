// Judges one list-DSL submission: parse, run on every example, and say which visible examples
// fail with what they gave. Hidden examples decide acceptance and are never shown.
import type { Verdict } from '../submissions.ts'
import { showValue } from './dsl.ts'
import { readProgram } from './renderer.ts'
import { outcomes, type DslTaskMeta } from './tasks.ts'

export function judgeDsl(meta: DslTaskMeta, action: string): Verdict {
  const parsed = readProgram(action)
  if ('error' in parsed) return { valid: false, accepted: false, summary: 'does not parse', feedback: `The program does not parse: ${parsed.error}` }
  const visible = outcomes(parsed.program, meta.visible)
  const hidden = outcomes(parsed.program, meta.hidden)
  const passed = visible.filter((o) => o.ok).length
  const n = meta.visible.length
  if (passed === n && hidden.every((o) => o.ok)) return { valid: true, accepted: true, summary: 'accepted', feedback: 'Every example is right: the program is accepted.' }
  if (passed === n) {
    return {
      valid: true,
      accepted: false,
      summary: `${n}/${n} examples right, hidden examples fail`,
      feedback: `All ${n} examples are right, but the program is not accepted: it fails hidden examples. Look for a more general program.`,
    }
  }
  const lines = [`${passed} of ${n} examples right.`]
  visible.forEach((o, i) => {
    if (o.ok) return
    const e = meta.visible[i]!
    lines.push(`Example ${i + 1}: input ${showValue(e.input)}, expected ${showValue(e.output)}, ${o.error ? `error: ${o.error}` : `got ${showValue(o.value!)}`}.`)
  })
  return { valid: true, accepted: false, summary: `${passed}/${n} examples right`, feedback: lines.join('\n') }
}
