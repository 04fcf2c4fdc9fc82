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

/** Task parameters as a person names them: {"preset":"7x7-1","slack":1} → "7x7-1 · slack 1"; {} → "default". */
export function taskParamsLabel(params: Record<string, unknown> | undefined): string {
  const { preset, ...rest } = params ?? {}
  const parts = [...(preset !== undefined ? [String(preset)] : []), ...Object.entries(rest).map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)]
  return parts.length ? parts.join(' · ') : 'default'
}
