/**
 * Terminal progress: a redrawn bar on a terminal, one plain line per phase change (and every 10%)
 * otherwise, so logs of CI jobs stay readable.
 */
export interface ProgressLine {
  phase: string
  step: number
  total: number
  etaSeconds: number | null
  message?: string
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?'
  const s = Math.round(seconds)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
}

export function renderBar(p: ProgressLine, width = 30): string {
  const fraction = p.total > 0 ? Math.min(1, p.step / p.total) : 0
  const filled = Math.round(fraction * width)
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled)
  const eta = p.etaSeconds !== null ? ` ETA ${formatDuration(p.etaSeconds)}` : ''
  return `${p.phase.padEnd(14)} ${bar} ${String(Math.round(fraction * 100)).padStart(3)}% ${p.step}/${p.total}${eta}${p.message ? `  ${p.message}` : ''}`
}

export class ProgressPrinter {
  private lastPhase = ''
  private lastDecile = -1
  private drawn = false

  constructor(
    private readonly write: (text: string) => void,
    private readonly interactive: boolean
  ) {}

  update(p: ProgressLine): void {
    if (this.interactive) {
      this.write(`\r\x1b[2K${renderBar(p)}`)
      this.drawn = true
      return
    }
    const decile = p.total > 0 ? Math.floor((10 * p.step) / p.total) : 0
    if (p.phase !== this.lastPhase || decile !== this.lastDecile) {
      this.write(`${renderBar(p, 20)}\n`)
      this.lastPhase = p.phase
      this.lastDecile = decile
    }
  }

  /** Ends the bar line so that the next output starts on a fresh line. */
  done(): void {
    if (this.drawn) this.write('\n')
    this.drawn = false
  }
}
