import { codeSuite } from './code.ts'
import { endpointsSuite } from './endpoints.ts'
import { envSuite } from './env.ts'
import { exploreSuite } from './explore.ts'
import { baseSuite } from './base.ts'
import { modelSuite } from './model.ts'
import { quickstartSuite } from './quickstart.ts'
import { resumeSuite } from './resume.ts'
import { storeSuite } from './store.ts'
import { uiSuite } from './ui.ts'
import { hfSuite } from './hf.ts'
import { matmulSuite } from './matmul.ts'
import { plateauSuite } from './plateau.ts'

export type Suite = {
  name: string
  summary: string
  /** Named figures (finite numbers) and notes (non-empty strings: which library ran, why a figure is missing). */
  run(log: (message: string) => void): Promise<Record<string, number | string>>
}

/** Every suite `npm run bench -- <name>` knows; later work adds its own. */
export const suites: Suite[] = [storeSuite, envSuite, modelSuite, baseSuite, uiSuite, codeSuite, endpointsSuite, exploreSuite, quickstartSuite, resumeSuite, hfSuite, matmulSuite, plateauSuite]
