// One set of defaults for everything a researcher starts: the CLI's flags (through the job
// configs' zod defaults, which read them here) and every form in the UI start from these same
// numbers, so a run started either way is the same run. Pure data: no Node, no DOM.
import { DEFAULT_PRESET } from './sokoban-presets.ts'

export const DEFAULTS = {
  /** The quickstart's room (one box in 7x7, as in the paper's Sokoban setting). */
  sokobanPreset: DEFAULT_PRESET,
  /** How many generated tasks a run takes when the count is not given. */
  tasks: { explore: 16, eval: 64, train: 64 },
  explore: { budget: 120, maxDepth: 16, branchesPerEvent: 1, temperature: 1 },
  eval: { n: 32, temperature: 1 },
  sft: { epochs: 3, batchSize: 64, lr: 3e-3 },
  grpo: { iterations: 20, tasksPerIteration: 16, groupSize: 8, lr: 3e-4, klBeta: 0.04, minibatch: 512 },
  earlyExperience: { alternatives: 3, worldWeight: 1 },
  leafe: { beta: 1 },
} as const
