import type Database from 'better-sqlite3'

export interface MetricPoint {
  name: string
  step: number
  value: number
  /** Unix epoch seconds; defaults to the time the point was added. */
  time?: number
}

/**
 * Buffers metric points and writes them in one transaction per flush, so logging never slows a
 * training step: a flush happens when the buffer is full, at least once a second while points
 * arrive, and whenever the caller says a phase ended.
 */
export class MetricWriter {
  private buffer: Array<[number, string, number, number, number]> = []
  private timer: NodeJS.Timeout | null = null
  private readonly insert: Database.Statement
  private readonly writeAll: (rows: Array<[number, string, number, number, number]>) => void

  constructor(
    db: Database.Database,
    private readonly options: { maxBuffered?: number; maxDelayMs?: number } = {}
  ) {
    this.insert = db.prepare('INSERT INTO metrics (run_id, name, step, value, time) VALUES (?, ?, ?, ?, ?)')
    this.writeAll = db.transaction((rows) => {
      for (const row of rows) this.insert.run(row)
    })
  }

  add(runId: number, points: readonly MetricPoint[]): void {
    const now = Date.now() / 1000
    for (const p of points) this.buffer.push([runId, p.name, p.step, p.value, p.time ?? now])
    if (this.buffer.length >= (this.options.maxBuffered ?? 5000)) this.flush()
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.options.maxDelayMs ?? 1000)
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.buffer.length === 0) return
    const rows = this.buffer
    this.buffer = []
    this.writeAll(rows)
  }
}

/** Drops a run's points after `step` (a resumed job recomputes them), so each step is logged once. */
export function forgetMetricsAfter(db: Database.Database, runId: number, step: number): void {
  db.prepare('DELETE FROM metrics WHERE run_id = ? AND step > ?').run(runId, step)
}
