// "Waiting for you": a running job that can go no further until a person acts (the human
// reflector's attempts). The job keeps status `running` — it holds its thread, resumes nothing —
// and says so at the head of its progress message; this module writes that message and is the
// one place that reads it back (the CLI, the job lines and the sidebar's count).
const PREFIX = 'waiting for you: '

/** The progress message of a job that waits for `n` reflections, followed by its usual message. */
export function waitingMessage(n: number, rest: string): string {
  return `${PREFIX}${n} attempt${n === 1 ? '' : 's'} to reflect on (Episodes → Reflect) · ${rest}`
}

/** How many attempts a job waits on a person for; 0 when it does not wait. */
export function waitingForYou(job: { status: string; message: string }): number {
  if (job.status !== 'running' || !job.message.startsWith(PREFIX)) return 0
  return Number.parseInt(job.message.slice(PREFIX.length), 10) || 0
}

/** The state to show: the job's status, or "waiting for you". */
export function jobState(job: { status: string; message: string }): string {
  return waitingForYou(job) > 0 ? 'waiting for you' : job.status
}
