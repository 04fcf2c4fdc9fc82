import { Engine } from '../core/engine.ts'
import { resolveDataDir } from '../core/paths.ts'

/** The engine as CLI commands open it: data directory from --data-dir, LEAFE_DATA_DIR or the default. */
export function openEngine(dataDirFlag: string | undefined): Engine {
  return new Engine({ dataDir: resolveDataDir(dataDirFlag), log: cliLog })
}

/**
 * The engine's log on stderr. A failed job's stack stays out (LEAFE_DEBUG=1 shows it): the
 * command says the failure once, in one line, from the job's error.
 */
function cliLog(message: string): void {
  if (process.env.LEAFE_DEBUG || !/^\[job \d+\] failed: /.test(message)) console.error(message)
}
