/**
 * Leaving AdvLab for the tools people already use: an MLflow file store with the documented
 * layout, and TensorBoard event files that parse as TFRecord-framed Event protos with valid CRCs.
 * The test decodes both with its own readers (a bitwise CRC-32C and a tiny protobuf parser), not
 * with the writer's code.
 */
import { afterEach, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { exportMlflow } from '../../../src-main/lab/store/export/mlflow'
import { exportTensorBoard } from '../../../src-main/lab/store/export/tensorboard'
import { tagRuns, setNote } from '../../../src-main/lab/store/organise'
import { addRun, baseConfig, freshLog, type Lab } from '../../unit/log/fixtures'

let lab: Lab
afterEach(() => lab?.cleanup())

// ——— independent readers ———
function crc32cBitwise(data: Uint8Array): number {
  let c = 0xffffffff
  for (const byte of data) {
    c ^= byte
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1
  }
  return (c ^ 0xffffffff) >>> 0
}
const mask = (c: number): number => (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0

type Field = { field: number; wire: number; value: bigint | Uint8Array | number }
function parseProto(b: Uint8Array): Field[] {
  const out: Field[] = []
  let i = 0
  const varint = (): bigint => {
    let r = 0n
    let s = 0n
    for (;;) {
      const x = b[i++]
      r |= BigInt(x & 0x7f) << s
      s += 7n
      if (!(x & 0x80)) return r
    }
  }
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength)
  while (i < b.length) {
    const key = Number(varint())
    const field = key >> 3
    const wire = key & 7
    if (wire === 0) out.push({ field, wire, value: varint() })
    else if (wire === 1) (out.push({ field, wire, value: dv.getFloat64(i, true) }), (i += 8))
    else if (wire === 5) (out.push({ field, wire, value: dv.getFloat32(i, true) }), (i += 4))
    else if (wire === 2) {
      const n = Number(varint())
      out.push({ field, wire, value: b.subarray(i, i + n) })
      i += n
    } else throw new Error(`wire type ${wire}`)
  }
  return out
}

function readTfRecords(file: string): Uint8Array[] {
  const buf = fs.readFileSync(file)
  const records: Uint8Array[] = []
  let o = 0
  while (o < buf.length) {
    const len = Number(buf.readBigUInt64LE(o))
    expect(buf.readUInt32LE(o + 8)).toBe(mask(crc32cBitwise(buf.subarray(o, o + 8))))
    const data = buf.subarray(o + 12, o + 12 + len)
    expect(buf.readUInt32LE(o + 12 + len)).toBe(mask(crc32cBitwise(data)))
    records.push(new Uint8Array(data))
    o += 12 + len + 4
  }
  expect(o).toBe(buf.length)
  return records
}

describe('TensorBoard export', () => {
  it('checks its CRC-32C reader against the standard test vector', () => {
    expect(crc32cBitwise(new TextEncoder().encode('123456789'))).toBe(0xe3069283)
  })

  it('writes TFRecord-framed Event protos: a file_version first, then one scalar summary per point', () => {
    lab = freshLog('tb')
    const loss = [2.5, 1.25, 0.625]
    const id = addRun(lab.db, { name: 'baseline/seed 0', metrics: { 'train/loss': loss }, evals: [['fgsm', 'Linf', 8 / 255, 0.25]] })
    const out = path.join(lab.dir, 'tb')
    const { files } = exportTensorBoard(lab.db, [id], out)
    expect(files).toHaveLength(1)
    expect(path.basename(path.dirname(files[0]))).toBe(`${id}-baseline_seed 0`)
    expect(path.basename(files[0])).toMatch(/^events\.out\.tfevents\.\d+\./)
    const events = readTfRecords(files[0]).map(parseProto)
    expect(events[0].find((f) => f.field === 3)!.value).toEqual(new TextEncoder().encode('brain.Event:2'))
    const scalars = events.slice(1).map((ev) => {
      const summary = parseProto(ev.find((f) => f.field === 5)!.value as Uint8Array)
      const value = parseProto(summary.find((f) => f.field === 1)!.value as Uint8Array)
      return {
        wallTime: ev.find((f) => f.field === 1)!.value as number,
        step: Number(ev.find((f) => f.field === 2)?.value ?? 0n),
        tag: new TextDecoder().decode(value.find((f) => f.field === 1)!.value as Uint8Array),
        value: value.find((f) => f.field === 2)!.value as number
      }
    })
    expect(scalars.filter((s) => s.tag === 'train/loss')).toEqual(
      loss.map((v, step) => ({ wallTime: 1_700_000_000 + step, step, tag: 'train/loss', value: v }))
    )
    expect(scalars.find((s) => s.tag === 'eval/fgsm/Linf')).toMatchObject({ step: 8, value: 0.25 })
  })
})

describe('MLflow export', () => {
  it('writes the mlruns layout: experiment meta, run meta, params, metrics "timestamp value step", tags, artifacts', () => {
    lab = freshLog('mlflow')
    const a = addRun(lab.db, {
      name: 'baseline',
      config: baseConfig({ optimizer: { kind: 'sgd', lr: 0.1 } }),
      metrics: { 'test/accuracy': [0.5, 0.9] },
      evals: [['fgsm', 'Linf', 8 / 255, 0.2]]
    })
    const b = addRun(lab.db, { name: "o'distilled", seed: 3, metrics: { 'train/loss': [1] } })
    tagRuns(lab.db, [a], ['paper'])
    setNote(lab.db, a, 'the baseline')
    const ckpt = path.join(lab.dir, 'runs/1/final.bin')
    fs.mkdirSync(path.dirname(ckpt), { recursive: true })
    fs.writeFileSync(ckpt, 'weights')
    lab.db
      .prepare(
        "INSERT INTO artifacts (run_id, kind, path, sha256, bytes, created_at) VALUES (?, 'checkpoint', 'runs/1/final.bin', 'x', 7, 'now')"
      )
      .run(a)

    const root = path.join(lab.dir, 'mlruns')
    const res = exportMlflow(lab.db, lab.dir, [a, b], root, 'Seed study')
    expect(res.runs).toBe(2)
    expect(fs.readFileSync(path.join(root, '0', 'meta.yaml'), 'utf8')).toMatch(/name: 'Default'/)
    expect(fs.statSync(path.join(root, '.trash')).isDirectory()).toBe(true)
    const expMeta = fs.readFileSync(path.join(root, res.experimentId, 'meta.yaml'), 'utf8')
    expect(expMeta).toMatch(new RegExp(`experiment_id: '${res.experimentId}'`))
    expect(expMeta).toMatch(/name: 'Seed study'/)
    expect(expMeta).toMatch(/lifecycle_stage: active/)
    const runDirs = fs.readdirSync(path.join(root, res.experimentId)).filter((d) => d !== 'meta.yaml')
    expect(runDirs).toHaveLength(2)
    for (const d of runDirs) expect(d).toMatch(/^[0-9a-f]{32}$/)
    const runOf = (name: string) =>
      runDirs
        .map((d) => path.join(root, res.experimentId, d))
        .find((d) => fs.readFileSync(path.join(d, 'tags', 'mlflow.runName'), 'utf8') === name)!
    const ra = runOf('baseline')
    const meta = fs.readFileSync(path.join(ra, 'meta.yaml'), 'utf8')
    expect(meta).toMatch(new RegExp(`run_id: ${path.basename(ra)}`))
    expect(meta).toMatch(/status: 3/)
    expect(meta).toMatch(/start_time: \d{13}/)
    expect(fs.readFileSync(path.join(ra, 'params', 'optimizer.lr'), 'utf8')).toBe('0.1')
    expect(fs.readFileSync(path.join(ra, 'params', 'model.arch'), 'utf8')).toBe('cnn-small')
    const lines = fs
      .readFileSync(path.join(ra, 'metrics', 'test', 'accuracy'), 'utf8')
      .trim()
      .split('\n')
    expect(lines).toEqual(['1700000000000 0.5 0', '1700000001000 0.9 1'])
    expect(fs.readFileSync(path.join(ra, 'metrics', 'eval', 'fgsm', 'Linf', 'eps_8_255'), 'utf8')).toMatch(/^\d+ 0\.2 0\n$/)
    expect(fs.readFileSync(path.join(ra, 'tags', 'advlab.tag.paper'), 'utf8')).toBe('true')
    expect(fs.readFileSync(path.join(ra, 'tags', 'mlflow.note.content'), 'utf8')).toBe('the baseline')
    expect(fs.readFileSync(path.join(ra, 'artifacts', 'checkpoint', 'final.bin'), 'utf8')).toBe('weights')
    expect(fs.readFileSync(path.join(runOf("o'distilled"), 'meta.yaml'), 'utf8')).toMatch(/run_name: 'o''distilled'/)

    // Exporting again to the same store reuses the experiment and overwrites the runs in place.
    const again = exportMlflow(lab.db, lab.dir, [a, b], root, 'Seed study')
    expect(again.experimentId).toBe(res.experimentId)
    expect(fs.readdirSync(path.join(root, res.experimentId)).filter((d) => d !== 'meta.yaml')).toHaveLength(2)
  })
})
