/**
 * The CIFAR "python version" files: one pickled dict per batch, `data` a uint8 numpy array of
 * N×3072 rows (CHW planes, as in the binary files) and the labels as a list of ints.
 * Read with our own unpickler (unpickle.ts); no Python needed.
 */
import fs from 'node:fs'
import type { SplitName, SplitSource } from './source'
import { CHUNK_IMAGES } from './source'
import { CIFAR_PIXEL_BYTES, planesToHwc } from './cifar-records'
import { NdArray, PyBytes, pyTypeName, unpickle, UnpickleError } from './unpickle'
import { badFile, count, fileSystemError } from './errors'
import { requireFile } from './files'

const TODO = 'Copy or extract the file again; it must be a CIFAR batch written by Python’s pickle.'

/**
 * A pickle is read whole, so its size is capped: CIFAR-100's train file, the largest, is 155 MB.
 * 1 GiB leaves room for re-saved batches without letting a stray huge file exhaust memory.
 */
export const MAX_PICKLE_BYTES = 2 ** 30

export async function readPickledDict(file: string): Promise<Map<unknown, unknown>> {
  const stats = await requireFile(file)
  if (stats.size > MAX_PICKLE_BYTES)
    throw badFile(
      file,
      `is ${count(stats.size)} bytes; AdvLab reads CIFAR pickles of at most ${count(MAX_PICKLE_BYTES)} bytes (1 GiB)`,
      'Check that this is a CIFAR batch file.'
    )
  let bytes: Buffer
  try {
    bytes = await fs.promises.readFile(file)
  } catch (error) {
    throw fileSystemError(error, file)
  }
  let value: unknown
  try {
    value = unpickle(bytes)
  } catch (error) {
    if (error instanceof UnpickleError) throw badFile(file, `cannot be read as a pickle: ${error.message}`, TODO)
    throw error
  }
  if (!(value instanceof Map)) throw badFile(file, 'holds a pickle, but not a dictionary', TODO)
  return value
}

/** A list of texts under `key` (class names in the meta file). */
export function nameList(dict: Map<unknown, unknown>, key: string, file: string): string[] {
  const value = dict.get(key)
  if (!Array.isArray(value) || value.length === 0) throw badFile(file, `has no "${key}" list`, TODO)
  return value.map((v, i) => {
    if (v instanceof PyBytes) return v.text()
    if (typeof v === 'string' || typeof v === 'number') return String(v)
    // Never String() a structure: a list nested thousands deep overflows the stack.
    throw badFile(file, `${key}[${i}] is ${pyTypeName(v)}, not a class name`, TODO)
  })
}

interface Batch {
  data: Uint8Array
  labels: Int32Array
}

interface LabelKey {
  key: string
  count: number
}

/** Checks one batch: a uint8 N×3072 array and N labels within range. */
function readBatch(dict: Map<unknown, unknown>, file: string, classKey: LabelKey, otherKeys: LabelKey[], classTodo: string): Batch {
  const data = dict.get('data')
  if (!(data instanceof NdArray)) throw badFile(file, 'has no "data" array', TODO)
  if (!/^[|<>=]?(u1|uint8|B)$/.test(data.dtype))
    throw badFile(file, `has a "data" array of type ${data.dtype}, but CIFAR pixels are uint8`, TODO)
  const n = data.shape[0] ?? 0
  if (n === 0) throw badFile(file, 'holds no images (its "data" array is empty)', TODO)
  const rowBytes = data.shape.slice(1).reduce((a, b) => a * b, 1)
  if (data.shape.length < 2 || rowBytes !== CIFAR_PIXEL_BYTES)
    throw badFile(file, `has a "data" array of shape ${data.shape.join('×')}, but CIFAR batches are N×3072 (3×32×32)`, TODO)
  if (data.fortranOrder) throw badFile(file, 'has its "data" array in Fortran order, which CIFAR batches never use', TODO)
  if (data.data.length !== n * CIFAR_PIXEL_BYTES)
    throw badFile(
      file,
      `has ${count(data.data.length)} bytes of pixels, but its shape ${data.shape.join('×')} needs ${count(n * CIFAR_PIXEL_BYTES)} (truncated)`,
      TODO
    )
  let labels = new Int32Array(0)
  for (const { key, count: classCount } of [classKey, ...otherKeys]) {
    const list = dict.get(key)
    if (!Array.isArray(list)) throw badFile(file, `has no "${key}" list`, TODO)
    if (list.length !== n) throw badFile(file, `holds ${count(n)} images but ${count(list.length)} ${key}`, TODO)
    const values = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      const v = list[i]
      if (!Number.isInteger(v) || v < 0 || v >= classCount)
        throw badFile(
          file,
          `${key}[${i}] is ${typeof v === 'number' ? String(v) : pyTypeName(v)}, out of range 0–${classCount - 1} (${classCount} classes)`,
          classTodo
        )
      values[i] = v
    }
    if (key === classKey.key) labels = values
  }
  return { data: data.data, labels }
}

export async function openPickleSplit(
  name: SplitName,
  files: string[],
  classKey: LabelKey,
  otherKeys: LabelKey[],
  classTodo: string
): Promise<SplitSource> {
  const labelsPerFile: Int32Array[] = []
  for (const file of files) {
    const batch = readBatch(await readPickledDict(file), file, classKey, otherKeys, classTodo)
    labelsPerFile.push(batch.labels)
  }
  const total = labelsPerFile.reduce((a, l) => a + l.length, 0)
  const labels = new Int32Array(total)
  let at = 0
  for (const l of labelsPerFile) labels.set(l, (at += l.length) - l.length)

  return {
    name,
    count: total,
    files,
    readLabels: async () => labels,
    async readImages(onChunk) {
      let start = 0
      for (const file of files) {
        const batch = readBatch(await readPickledDict(file), file, classKey, otherKeys, classTodo)
        const n = batch.labels.length
        for (let first = 0; first < n; first += CHUNK_IMAGES) {
          const k = Math.min(CHUNK_IMAGES, n - first)
          const pixels = new Uint8Array(k * CIFAR_PIXEL_BYTES)
          for (let r = 0; r < k; r++) planesToHwc(batch.data, (first + r) * CIFAR_PIXEL_BYTES, pixels, r * CIFAR_PIXEL_BYTES)
          onChunk({ start: start + first, count: k, pixels, labels: batch.labels.subarray(first, first + k) })
        }
        start += n
      }
    }
  }
}
