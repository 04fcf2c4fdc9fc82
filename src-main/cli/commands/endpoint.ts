import type { EndpointInfo } from '../../api/contract-endpoints.ts'
import { bool, intFlag, numberFlag, parse, str, UsageError } from '../args.ts'
import type { Command } from '../command.ts'
import { openEngine } from '../engine.ts'
import { callEngine } from '../service.ts'

export const endpointCommand: Command = {
  name: 'endpoint',
  summary: 'OpenAI-compatible model servers (vLLM, llama.cpp, Ollama, hosted APIs): add, list, probe, remove, serve a model as a checkpoint.',
  usage: [
    'add NAME --url URL --model MODEL [--mode chat|completion] [--key-env VAR] [--concurrency N] [--timeout S] [--retries N] [--max-tokens N] [--no-probe]',
    '  | list [--json]  | probe NAME [--json]  | remove NAME',
    '  | checkpoint NAME --label TEXT [--model MODEL] [--parent CHECKPOINT_ID]',
    '',
    'Keys are never stored: set LEAFE_ENDPOINT_KEY_<NAME> (or LEAFE_ENDPOINT_KEY, or the variable --key-env names).',
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      {
        url: str('URL', 'add: the OpenAI-compatible base URL'),
        model: str('MODEL', 'add: the model served; checkpoint: the model it names', "checkpoint: the endpoint's"),
        mode: str('M', 'add: chat or completion', 'chat'),
        'key-env': str('VAR', 'add: the environment variable holding the key', 'LEAFE_ENDPOINT_KEY_<NAME>'),
        concurrency: str('N', 'add: requests in flight at once per process', 8),
        timeout: str('S', 'add: seconds per request', 120),
        retries: str('N', 'add: retries of 429, 5xx, timeouts, refused connections', 4),
        'max-tokens': str('N', 'add: the reply limit', 256),
        'no-probe': bool('add: do not probe the endpoint'),
        json: bool('list, probe: print as JSON'),
        label: str('TEXT', 'checkpoint: its name'),
        parent: str('CHECKPOINT_ID', 'checkpoint: its parent in the lineage'),
      },
      true,
    )
    const [verb, name] = positionals
    if (!verb || !['add', 'list', 'probe', 'remove', 'checkpoint'].includes(verb)) throw new UsageError('say add, list, probe, remove or checkpoint.')
    if (verb !== 'list' && !name) throw new UsageError(`"${verb}" needs the endpoint's name.`)
    const engine = openEngine(values['data-dir'])
    try {
      switch (verb) {
        case 'add': {
          if (!values.url || !values.model) throw new UsageError('add needs --url and --model (e.g. --url http://127.0.0.1:8000/v1 --model Qwen/Qwen2.5-7B-Instruct).')
          const settings = {
            ...(values['key-env'] ? { keyEnv: values['key-env'] } : {}),
            ...(values.concurrency ? { concurrency: intFlag(values.concurrency, 'concurrency', 1, 256) } : {}),
            ...(values.timeout ? { timeoutS: numberFlag(values.timeout, 'timeout', 0.001, 3600) } : {}),
            ...(values.retries ? { retries: intFlag(values.retries, 'retries', 0, 20) } : {}),
            ...(values['max-tokens'] ? { maxTokens: intFlag(values['max-tokens'], 'max-tokens', 1, 65_536) } : {}),
          }
          let info = await callEngine(engine, 'endpoints.save', { name: name!, baseUrl: values.url, model: values.model, ...(values.mode ? { mode: values.mode as 'chat' } : {}), settings })
          if (!values['no-probe']) info = await callEngine(engine, 'endpoints.probe', { name: name! })
          print(info, values.json)
          return info.probe && !info.probe.ok ? 1 : 0
        }
        case 'list': {
          const all = await callEngine(engine, 'endpoints.list', {})
          if (values.json) console.log(JSON.stringify(all, null, 2))
          else if (all.length === 0) console.log('no endpoints; add one with `leafe endpoint add NAME --url URL --model MODEL`')
          else for (const e of all) print(e, false)
          return 0
        }
        case 'probe': {
          const info = await callEngine(engine, 'endpoints.probe', { name: name! })
          print(info, values.json)
          return info.probe?.ok ? 0 : 1
        }
        case 'remove':
          await callEngine(engine, 'endpoints.remove', { name: name! })
          console.log(`removed endpoint ${name}`)
          return 0
        case 'checkpoint': {
          if (!values.label) throw new UsageError('checkpoint needs --label (the name curves show, e.g. --label "Qwen 7B + LEAFE LoRA").')
          const c = await callEngine(engine, 'checkpoints.addServed', {
            name: values.label, endpoint: name!, ...(values.model ? { model: values.model } : {}),
            ...(values.parent ? { parentId: intFlag(values.parent, 'parent', 1, 2 ** 31) } : {}),
          })
          console.log(values.json ? JSON.stringify(c, null, 2) : `checkpoint ${c.id} "${c.name}" = ${(c.config as { model: string }).model} on endpoint ${name}; evaluate it with --policies ${c.id}`)
          return 0
        }
      }
      return 2
    } finally {
      await engine.close()
    }
  },
}

function print(e: EndpointInfo, json: boolean | undefined): void {
  if (json) return console.log(JSON.stringify(e, null, 2))
  const p = e.probe
  const lines = [
    `${e.name}  ${e.baseUrl}  model ${e.model}  ${e.mode}`,
    `  key        ${e.key.present ? `from ${e.key.source}` : `none (set ${e.key.variable} if the server needs one)`}`,
    `  limits     ${e.settings.concurrency} at once, ${e.settings.timeoutS} s timeout, ${e.settings.retries} retries, ${e.settings.maxTokens} max tokens`,
  ]
  if (!p) lines.push('  probe      not yet (leafe endpoint probe ' + e.name + ')')
  else {
    const yn = (v: boolean | null, yes: string, no: string) => (v === null ? 'not tested' : v ? yes : no)
    lines.push(
      `  probe      ${p.ok ? 'ok' : 'FAILED'} at ${p.at}`,
      `  models     ${p.models === null ? 'not listed by the server' : `${p.models.length} listed${p.modelListed ? ', this one among them' : ', NOT this one'}`}`,
      `  seed       ${yn(p.seedReproduces, 'reproduces a reply', 'does not reproduce a reply')}`,
      `  logprobs   ${yn(p.logprobs, 'yes', 'no')}`,
      `  latency    ${p.latencyMs === null ? '—' : `${p.latencyMs} ms for a short reply`}`,
      ...p.notes.map((n) => `  note       ${n}`),
    )
  }
  console.log(lines.join('\n'))
}
