import { Engine } from '../core/engine.ts'
import { resolveDataDir } from '../core/paths.ts'

/** The engine as CLI commands open it: data directory from --data-dir, LEAFE_DATA_DIR or the default. */
export function openEngine(dataDirFlag: string | undefined): Engine {
  return new Engine({ dataDir: resolveDataDir(dataDirFlag), log: (m) => console.error(m) })
}
