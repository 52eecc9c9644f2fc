/**
 * TensorBoard event files, written by hand: a TFRecord stream (length, masked CRC-32C of the
 * length, payload, masked CRC-32C of the payload) of `tensorflow.Event` protobuf messages, one per
 * scalar point (tensorflow/core/util/event.proto, summary.proto; framing as in
 * tensorflow/core/lib/io/record_writer.cc). One sub-directory per run, so TensorBoard lists each
 * run by name.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { LabError } from '../../../api/errors'
import { completedResultRows } from '../run-results'
import { evalCurveTag } from '../../../api/metrics'

// ——— CRC-32C (Castagnoli), reflected polynomial 0x82F63B78 ———
const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let i = 0; i < 256; i++) {
    let c = i
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1
    t[i] = c >>> 0
  }
  return t
})()

export function crc32c(data: Uint8Array): number {
  let c = 0xffffffff
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** TFRecord's masking, so that CRCs of data containing CRCs stay well distributed. */
export function maskedCrc32c(data: Uint8Array): number {
  const c = crc32c(data)
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0
}

// ——— minimal protobuf writer ———
class Proto {
  private parts: number[] = []
  private varint(v: bigint | number): void {
    let x = BigInt.asUintN(64, BigInt(v))
    while (x >= 0x80n) {
      this.parts.push(Number(x & 0x7fn) | 0x80)
      x >>= 7n
    }
    this.parts.push(Number(x))
  }
  private key(field: number, wire: number): void {
    this.varint((field << 3) | wire)
  }
  double(field: number, v: number): this {
    this.key(field, 1)
    const b = new Uint8Array(8)
    new DataView(b.buffer).setFloat64(0, v, true)
    this.parts.push(...b)
    return this
  }
  float(field: number, v: number): this {
    this.key(field, 5)
    const b = new Uint8Array(4)
    new DataView(b.buffer).setFloat32(0, v, true)
    this.parts.push(...b)
    return this
  }
  int64(field: number, v: number): this {
    this.key(field, 0)
    this.varint(v)
    return this
  }
  bytes(field: number, b: Uint8Array): this {
    this.key(field, 2)
    this.varint(b.length)
    for (const x of b) this.parts.push(x)
    return this
  }
  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s))
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts)
  }
}

/** Event { wall_time = 1; step = 2; file_version = 3 | summary = 5 }. */
export function fileVersionEvent(wallTime: number): Uint8Array {
  return new Proto().double(1, wallTime).int64(2, 0).string(3, 'brain.Event:2').done()
}

/** Event with Summary { value = 1: Value { tag = 1; simple_value = 2 } }. */
export function scalarEvent(wallTime: number, step: number, tag: string, value: number): Uint8Array {
  const v = new Proto().string(1, tag).float(2, value).done()
  const summary = new Proto().bytes(1, v).done()
  return new Proto().double(1, wallTime).int64(2, step).bytes(5, summary).done()
}

export function tfRecord(payload: Uint8Array): Buffer {
  const out = Buffer.alloc(8 + 4 + payload.length + 4)
  out.writeBigUInt64LE(BigInt(payload.length), 0)
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8)
  out.set(payload, 12)
  out.writeUInt32LE(maskedCrc32c(payload), 12 + payload.length)
  return out
}

/** A file-system-safe folder name for a run: "<id>-<name>". */
export function runFolderName(id: number, name: string): string {
  return `${id}-${
    name
      .replace(/[^A-Za-z0-9._ -]+/g, '_')
      .trim()
      .slice(0, 80) || 'run'
  }`
}

export function exportTensorBoard(db: Database.Database, ids: readonly number[], outDir: string): { path: string; files: string[] } {
  const files: string[] = []
  for (const id of [...new Set(ids)]) {
    const run = db.prepare('SELECT id, name, created_at FROM runs WHERE id = ?').get(id) as
      { id: number; name: string; created_at: string } | undefined
    if (!run) throw new LabError('not_found', `There is no run with id ${id}.`, 'ids')
    const dir = path.join(outDir, runFolderName(run.id, run.name))
    fs.mkdirSync(dir, { recursive: true })
    const start = Date.parse(run.created_at) / 1000
    const file = path.join(dir, `events.out.tfevents.${Math.floor(start)}.${os.hostname()}.advlab`)
    const chunks: Buffer[] = [tfRecord(fileVersionEvent(start))]
    const rows = db
      .prepare('SELECT name, step, value, time FROM metrics WHERE run_id = ? ORDER BY step, rowid')
      .raw(true)
      .iterate(id) as Iterable<[string, number, number, number]>
    for (const [name, step, value, time] of rows) chunks.push(tfRecord(scalarEvent(time, step, name, value)))
    // Evaluation results become scalars over ε, one tag per attack and norm, so TensorBoard draws
    // ε-curves. Steps must be integers: the step is ε·255 for L∞ (8/255 → 8) and ε·100 for L2.
    // Only completed evaluations count (an unfinished one's results are partial).
    const evals = completedResultRows(db, id).sort((a, b) => a.epsilon - b.epsilon || a.id - b.id)
    for (const e of evals) {
      const t = Date.parse(e.created_at) / 1000
      const step = Math.round(e.epsilon * (e.norm === 'L2' ? 100 : 255))
      chunks.push(tfRecord(scalarEvent(Number.isFinite(t) ? t : start, step, evalCurveTag(e.attack, e.norm), e.accuracy)))
    }
    fs.writeFileSync(file, Buffer.concat(chunks))
    files.push(file)
  }
  return { path: path.resolve(outDir), files }
}
