// The "which tasks" part of the explore, train and evaluate forms: a stored task set by name, or
// tasks generated from a split, a count, a seed and the environment's parameters (for Sokoban a
// named preset). Builds the TaskSource the engine's job configs take.
import type { TaskSource } from '../../../src-main/shared/run-inputs.ts'
import { DEFAULTS } from '../../../src-main/shared/defaults.ts'
import { PRESET_NAMES } from '../../../src-main/shared/sokoban-presets.ts'

export { PRESET_NAMES }

export class TaskSourceForm {
  env = $state('sokoban')
  mode = $state<'generated' | 'stored'>('generated')
  split = $state('train')
  count = $state(8)
  seed = $state(0)
  preset = $state<string>(DEFAULTS.sokobanPreset)
  /** Other environments' generator parameters, as JSON. */
  paramsText = $state('{}')
  taskSet = $state('')

  constructor(init: { split?: string; count?: number } = {}) {
    if (init.split) this.split = init.split
    if (init.count) this.count = init.count
  }

  /** The environment's task parameters, or a message saying why they cannot be read. */
  params(): Record<string, unknown> | string {
    if (this.env === 'sokoban') return { preset: this.preset }
    try {
      const p: unknown = JSON.parse(this.paramsText || '{}')
      if (p === null || typeof p !== 'object' || Array.isArray(p)) return 'Task parameters: write a JSON object, e.g. {"family": "heat"}.'
      return p as Record<string, unknown>
    } catch (err) {
      return `Task parameters are not valid JSON: ${(err as Error).message}`
    }
  }

  /** The TaskSource for a job config, or a message saying what is missing. */
  source(): TaskSource | string {
    if (this.mode === 'stored') return this.taskSet.trim() ? { taskSet: this.taskSet.trim() } : 'Name the stored task set to use.'
    const params = this.params()
    if (typeof params === 'string') return params
    return { split: this.split, count: this.count, seed: this.seed, params }
  }
}
