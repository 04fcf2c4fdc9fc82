// A progress bar for long CLI commands: redrawn in place on a terminal, a line every few seconds
// when the output is a file or a pipe (CI logs stay readable).
import { duration, rate } from '../shared/format.ts'

export class ProgressBar {
  private last = 0
  private readonly tty: boolean
  private readonly startedAt = Date.now()

  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(out.isTTY)
  }

  update(done: number, total: number | null, extra = '', perSecond: number | null = null, etaSeconds: number | null = null): void {
    const t = Date.now()
    if (t - this.last < (this.tty ? 100 : 3000) && done !== total) return
    this.last = t
    const r = perSecond ?? (t > this.startedAt ? (done * 1000) / (t - this.startedAt) : null)
    const eta = etaSeconds ?? (r && total !== null ? (total - done) / r : null)
    const width = 28
    const share = total ? Math.min(1, done / total) : 0
    const bar = total ? '█'.repeat(Math.round(share * width)).padEnd(width, '░') : '…'.padEnd(width, ' ')
    const count = total !== null ? `${fmt(done)}/${fmt(total)}` : fmt(done)
    const line = `${this.label} ${bar} ${count} ${rate(r)} ETA ${duration(eta)} ${extra}`.trimEnd()
    if (this.tty) this.out.write(`\r\x1b[2K${line.slice(0, (this.out.columns ?? 120) - 1)}`)
    else this.out.write(`${line}\n`)
  }

  finish(message = ''): void {
    if (this.tty) this.out.write('\r\x1b[2K')
    if (message) this.out.write(`${this.label} ${message}\n`)
  }
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1))
