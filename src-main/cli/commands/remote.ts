import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { RemoteEnvInfo } from '../../api/contract-endpoints.ts'
import { RemoteProfile } from '../../shared/remote-profile.ts'
import { bool, intFlag, numberFlag, parse, str, UsageError } from '../args.ts'
import type { Command } from '../command.ts'
import { openEngine } from '../engine.ts'
import { callEngine } from '../service.ts'

export const remoteCommand: Command = {
  name: 'remote',
  summary: 'AgentGym-style environment servers (ALFWorld, WebShop, ScienceWorld, or any described by a profile file).',
  usage: [
    'add NAME --url URL --profile alfworld|webshop|sciworld|FILE.json --split SPLIT=FROM:TO [--split …] [--max-steps N] [--timeout S] [--no-check]',
    '  | list [--json]  | check NAME  | remove NAME  | profiles [--json]',
    '',
    'Splits are the server\'s task indices [FROM, TO) (data_idx / game / session_id); they must not overlap.',
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      {
        url: str('URL', "add: the server's base URL"),
        profile: str('P', 'add: alfworld, webshop, sciworld or a profile FILE.json'),
        split: { ...str('SPLIT=FROM:TO', "add: a split's task indices; repeat for more"), multiple: true },
        'max-steps': str('N', 'add: steps per episode', 40),
        timeout: str('S', 'add: seconds per request', 60),
        'no-check': bool('add: do not check the server first'),
        json: bool('list, profiles: print as JSON'),
      },
      true,
    )
    const [verb, name] = positionals
    if (!verb || !['add', 'list', 'check', 'remove', 'profiles'].includes(verb)) throw new UsageError('say add, list, check, remove or profiles.')
    if (['add', 'check', 'remove'].includes(verb) && !name) throw new UsageError(`"${verb}" needs the environment's name.`)
    const engine = openEngine(values['data-dir'])
    try {
      switch (verb) {
        case 'add': {
          if (!values.url || !values.profile || !values.split?.length) throw new UsageError('add needs --url, --profile and at least one --split (e.g. --split test=0:200).')
          const saved = await callEngine(engine, 'remoteEnvs.save', {
            name: name!, baseUrl: values.url, profile: profileFlag(values.profile), splits: splitsFlag(values.split),
            ...(values['max-steps'] ? { maxSteps: intFlag(values['max-steps'], 'max-steps', 1, 10_000) } : {}),
            ...(values.timeout ? { timeoutS: numberFlag(values.timeout, 'timeout', 0.001, 3600) } : {}),
          })
          print(saved)
          if (values['no-check']) return 0
          return check(await callEngine(engine, 'remoteEnvs.check', { name: name! }))
        }
        case 'list': {
          const all = await callEngine(engine, 'remoteEnvs.list', {})
          if (values.json) console.log(JSON.stringify(all, null, 2))
          else if (all.length === 0) console.log('no remote environments; add one with `leafe remote add NAME --url URL --profile alfworld --split test=0:200`')
          else all.forEach(print)
          return 0
        }
        case 'check':
          return check(await callEngine(engine, 'remoteEnvs.check', { name: name! }))
        case 'remove':
          await callEngine(engine, 'remoteEnvs.remove', { name: name! })
          console.log(`removed remote environment ${name} (its runs stay)`)
          return 0
        case 'profiles': {
          const all = await callEngine(engine, 'remoteEnvs.profiles', {})
          if (values.json) console.log(JSON.stringify(all, null, 2))
          else for (const p of all) console.log(`${p.name.padEnd(9)} ${p.label}: id field "${p.idField}", task field "${p.reset.taskField}", errors ${p.errorField ? `as "${p.errorField}" in a 200 reply or an HTTP status` : 'as an HTTP status'}, ${p.close ? `close at ${p.close.path}` : 'no close'}`)
          return 0
        }
      }
      return 2
    } finally {
      await engine.close()
    }
  },
}

/** A built-in profile's name, or a JSON file describing another server. */
function profileFlag(value: string): string | RemoteProfile {
  if (!/[./\\]/.test(value)) return value
  let data: unknown
  try {
    data = JSON.parse(readFileSync(resolve(value), 'utf8'))
  } catch (err) {
    throw new UsageError(`--profile ${value}: cannot read it as JSON (${(err as Error).message}).`)
  }
  const parsed = RemoteProfile.safeParse(data)
  if (!parsed.success) throw new UsageError(`--profile ${value}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`)
  return parsed.data
}

/** ["train=0:2000", "test=2000:2200"] → { train: [0, 2000], test: [2000, 2200] }. */
function splitsFlag(values: string[]): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {}
  for (const v of values) {
    const m = /^([\w-]+)=(\d+):(\d+)$/.exec(v)
    if (!m) throw new UsageError(`--split ${v}: write SPLIT=FROM:TO, e.g. test=0:200.`)
    out[m[1]!] = [Number(m[2]), Number(m[3])]
  }
  return out
}

function print(r: RemoteEnvInfo): void {
  const splits = Object.entries(r.splits).map(([s, [a, b]]) => `${s} [${a}, ${b})`).join(', ')
  console.log(`${r.name}  ${r.baseUrl}  ${r.profile.label}\n  splits     ${splits}\n  limits     ${r.maxSteps} steps per episode, ${r.timeoutS} s per request`)
}

function check(c: { ok: boolean; message: string; observation: string | null }): number {
  console.log(`  check      ${c.ok ? 'ok' : 'FAILED'}: ${c.message}`)
  if (c.observation) console.log(`  first observation: ${c.observation.split('\n')[0]!.slice(0, 200)}`)
  return c.ok ? 0 : 1
}
