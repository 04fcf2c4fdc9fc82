// Pure helpers shared by the CLI and the renderer (no Node, no DOM).
/** "1 h 02 min", "3 min 05 s", "12 s" — an ETA a person reads at a glance. */
export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—'
  const s = Math.round(seconds)
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`
}

export function rate(perSecond: number | null): string {
  if (perSecond === null) return '—'
  return perSecond >= 100 ? `${Math.round(perSecond)}/s` : `${perSecond.toFixed(1)}/s`
}

/** Pass@k and other rates are shown in percent everywhere: tables, axes, tooltips and files. */
export const percent = (v: number, digits = 1): string => (100 * v).toFixed(digits)

/** Task parameters as a person names them: {"preset":"7x7-1","slack":1} → "7x7-1 · slack 1"; {} → "default". */
export function taskParamsLabel(params: Record<string, unknown> | undefined): string {
  const { preset, ...rest } = params ?? {}
  const parts = [...(preset !== undefined ? [String(preset)] : []), ...Object.entries(rest).map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)]
  return parts.length ? parts.join(' · ') : 'default'
}

/** What a task set's tasks are called: a Sokoban task is a level. */
const unitOf = (env: string, count: number) => (env === 'sokoban' ? (count === 1 ? 'level' : 'levels') : count === 1 ? 'task' : 'tasks')
const envTitle = (env: string) => env.charAt(0).toUpperCase() + env.slice(1)

/**
 * A task set as a person names it, from what the store keeps about it: generated sets by their
 * parameters, split and size ("Sokoban 7x7-1 · test · 16 levels", with the seed offset or the
 * training role where they tell two sets apart); imported ones by their file. The stored name
 * (a stable key with a parameter hash) stays the set's identity; this is only what is shown.
 */
export function taskSetLabel(set: { name: string; env: string; split: string; source: string; params: Record<string, unknown>; count: number }): string {
  const size = `${set.count} ${unitOf(set.env, set.count)}`
  const p = set.params
  if (set.source === 'imported') return `${envTitle(set.env)} ${typeof p.file === 'string' ? p.file : set.name} · ${set.split} · ${size}`
  const gen = (p.params ?? {}) as Record<string, unknown>
  const extra = [
    ...(typeof p.role === 'string' ? [`${p.role} tasks`] : []),
    ...(typeof p.seed === 'number' && p.seed !== 0 ? [`seed ${p.seed}`] : []),
  ]
  return [`${envTitle(set.env)} ${taskParamsLabel(gen)}`, set.split, size, ...extra].join(' · ')
}
