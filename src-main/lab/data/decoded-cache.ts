/**
 * Decoding thousands of PNG/JPEG files costs seconds per load; the registered content never
 * changes (it is what the hash covers). So for an ImageFolder dataset, registration keeps the
 * decoded 8-bit HWC pixels and int32 labels of each split as two flat files in the data directory
 * (artifacts of kind 'decoded'), and loading reads those at IDX speed. Skipped above a size limit.
 */
import fs from 'node:fs'
import path from 'node:path'
import { createHash, type Hash } from 'node:crypto'
import type { ImageChunk, SplitName, SplitSource } from './source'
import { imagesPerChunk } from './source'
import { withReader } from './byte-stream'
import { count } from './errors'
import { LabError } from '../../api/errors'

export const DECODED_KIND = 'decoded'
/** Above this many bytes of decoded pixels, images are decoded at each load instead. */
export const DECODED_CACHE_LIMIT_BYTES = 2 * 1024 ** 3

export interface StagedFile {
  kind: string
  /** Where it is written now, and its final name relative to the data directory. */
  tempPath: string
  fileName: string
  sha256: string
  bytes: number
}

interface OpenFile {
  fd: number
  file: StagedFile
  hash: Hash
}

export class DecodedCacheWriter {
  private open = new Map<string, OpenFile>()

  constructor(private stagingDir: string) {
    fs.mkdirSync(stagingDir, { recursive: true })
  }

  /** Appends one chunk; chunks of a split arrive in order, so the files are simply concatenated. */
  write(split: SplitName, chunk: ImageChunk): void {
    this.append(`${split}.images.u8`, chunk.pixels)
    this.append(`${split}.labels.i32`, new Uint8Array(chunk.labels.buffer, chunk.labels.byteOffset, chunk.labels.byteLength))
  }

  finish(): StagedFile[] {
    const files: StagedFile[] = []
    for (const entry of this.open.values()) {
      fs.closeSync(entry.fd)
      entry.file.sha256 = entry.hash.digest('hex')
      files.push(entry.file)
    }
    this.open.clear()
    return files
  }

  discard(): void {
    for (const entry of this.open.values()) fs.closeSync(entry.fd)
    this.open.clear()
    fs.rmSync(this.stagingDir, { recursive: true, force: true })
  }

  private append(fileName: string, bytes: Uint8Array): void {
    let entry = this.open.get(fileName)
    if (!entry) {
      const tempPath = path.join(this.stagingDir, fileName)
      entry = {
        fd: fs.openSync(tempPath, 'w'),
        file: { kind: DECODED_KIND, tempPath, fileName, sha256: '', bytes: 0 },
        hash: createHash('sha256')
      }
      this.open.set(fileName, entry)
    }
    fs.writeSync(entry.fd, bytes)
    entry.hash.update(bytes)
    entry.file.bytes += bytes.length
  }
}

/** A split read back from its decoded files. */
export function cachedSplit(name: SplitName, folder: string, total: number, imageBytes: number, datasetName: string): SplitSource {
  const imagesFile = path.join(folder, `${name}.images.u8`)
  const labelsFile = path.join(folder, `${name}.labels.i32`)
  const damaged = (what: string) =>
    new LabError(
      'unavailable',
      `The decoded copy of dataset "${datasetName}" is damaged (${what}). Remove the dataset and register it again.`
    )
  const sizeOf = (file: string) => {
    try {
      return fs.statSync(file).size
    } catch {
      throw damaged(`${file} is missing`)
    }
  }
  if (sizeOf(imagesFile) !== total * imageBytes) throw damaged(`${imagesFile} does not hold ${count(total)} images`)
  if (sizeOf(labelsFile) !== total * 4) throw damaged(`${labelsFile} does not hold ${count(total)} labels`)
  let labels: Int32Array | undefined
  const readLabels = async () => {
    if (!labels) {
      const bytes = fs.readFileSync(labelsFile)
      labels = new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
    }
    return labels
  }
  return {
    name,
    count: total,
    files: [imagesFile, labelsFile],
    readLabels,
    async readImages(onChunk) {
      const all = await readLabels()
      await withReader(imagesFile, async (reader) => {
        const perChunk = imagesPerChunk(imageBytes)
        for (let start = 0; start < total; start += perChunk) {
          const k = Math.min(perChunk, total - start)
          const pixels = await reader.take(k * imageBytes, `image ${start + k - 1}`)
          onChunk({ start, count: k, pixels, labels: all.subarray(start, start + k) })
        }
      })
    }
  }
}
