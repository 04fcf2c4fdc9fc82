// `leafe <command>`: the engine from a terminal. Every command lives in commands/ and is listed
// here; later work adds its own (explore, train, eval, quickstart, env …).
import { HelpRequested, UsageError } from './args.ts'
import { codeCommand } from './commands/code.ts'
import { corpusCommand } from './commands/corpus.ts'
import { endpointCommand } from './commands/endpoint.ts'
import { envCommand } from './commands/env.ts'
import { evalCommand } from './commands/eval.ts'
import { exploreCommand } from './commands/explore.ts'
import { jobsCommand } from './commands/jobs.ts'
import { modelCommand } from './commands/model.ts'
import { quickstartCommand } from './commands/quickstart.ts'
import { remoteCommand } from './commands/remote.ts'
import { serveCommand } from './commands/serve.ts'
import { statusCommand } from './commands/status.ts'
import { trainCommand } from './commands/train.ts'
import type { Command } from './command.ts'

export const commands: Command[] = [serveCommand, statusCommand, jobsCommand, envCommand, exploreCommand, evalCommand, trainCommand, quickstartCommand, corpusCommand, codeCommand, endpointCommand, remoteCommand, modelCommand]

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length))
  return [
    'leafe — LEAFE Workbench on the command line',
    '',
    'Usage: leafe <command> [options]     (leafe <command> --help for its options)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --data-dir DIR (default: $LEAFE_DATA_DIR, else the desktop app\'s folder)',
    'and --backend B to force a TF.js backend (auto, node-gpu, webgpu, node, wasm, cpu; default: the setting).',
  ].join('\n')
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help())
    return name ? 0 : 2
  }
  const command = commands.find((c) => c.name === name)
  if (!command) {
    console.error(`leafe: unknown command "${name}".\n\n${help()}`)
    return 2
  }
  const wantsHelp = rest.includes('--help') || rest.includes('-h')
  const usage = `Usage: leafe ${command.name} ${command.usage}\n\n${command.summary}`
  try {
    return await command.run(rest)
  } catch (err) {
    // --help reaches the (sub)command's parse(), which lists exactly the flags it takes; a
    // command that needs a verb first ("train grpo --help") stops earlier and shows its usage.
    if (err instanceof HelpRequested) {
      console.log(`${usage}\n\nOptions:\n${err.flags}`)
      return 0
    }
    if (wantsHelp && err instanceof UsageError) {
      console.log(usage)
      return 0
    }
    if (err instanceof UsageError) {
      console.error(`leafe ${command.name}: ${err.message}\nUsage: leafe ${command.name} ${command.usage}`)
      return 2
    }
    console.error(`leafe ${command.name}: ${(err as Error)?.message ?? String(err)}`)
    if (process.env.LEAFE_DEBUG) console.error((err as Error)?.stack)
    return 1
  }
}
