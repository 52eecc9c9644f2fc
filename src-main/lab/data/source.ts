/**
 * What every format module produces: a dataset source whose splits can be streamed image by image.
 * Pixels always arrive as 8-bit HWC (height, width, channel) — each format converts its own layout
 * (e.g. CIFAR's CHW planes) once, here, so nothing downstream knows where the bytes came from.
 */
import type { DatasetFormat } from '../../api/datasets'

export type SplitName = 'train' | 'test'

export interface ImageShape {
  height: number
  width: number
  channels: number
}

/** A run of consecutive images `start .. start+count-1` of one split. */
export interface ImageChunk {
  start: number
  count: number
  /** count × height × width × channels bytes, HWC per image. */
  pixels: Uint8Array
  labels: Int32Array
}

export interface SplitSource {
  name: SplitName
  count: number
  /** The files this split is read from (for messages and change checks). */
  files: string[]
  /** All labels of the split, in image order, checked against the class count. */
  readLabels(): Promise<Int32Array>
  /**
   * Streams every image in index order. With `wanted`, a reader may skip the work for images whose
   * entry is 0 — their pixels in the chunk are then unspecified.
   */
  readImages(onChunk: (chunk: ImageChunk) => void, wanted?: Uint8Array): Promise<void>
}

export interface DatasetSource {
  format: DatasetFormat
  root: string
  shape: ImageShape
  classes: string[]
  coarseClasses?: string[]
  /** `train` first, then `test` when the dataset has one. */
  splits: SplitSource[]
  /** A name to register under when the user gives none. */
  suggestedName: string
  /** How the files were read, when the user may want to know (resizing, default class names…). */
  notes: string[]
}

export interface OpenOptions {
  /** ImageFolder: the shape recorded at registration, so loading skips the size survey. */
  shape?: ImageShape
}

/** One format: recognises its files by name (cheap) and opens them, checking every header. */
export interface DatasetFormatModule {
  format: DatasetFormat
  /** In words, for messages: "IDX (MNIST-style)". */
  title: string
  /** Whether the folder's file names look like this format. Reads no file contents. */
  looksLike(dir: string, entries: string[]): boolean
  open(dir: string, options?: OpenOptions): Promise<DatasetSource>
}

export const CHUNK_IMAGES = 1024
/** No chunk holds more than this many bytes of pixels: 1,024 images of 4096×4096×3 would be 48 GiB. */
export const MAX_CHUNK_BYTES = 64 << 20

/** How many images of `imageBytes` each to put in one chunk: CHUNK_IMAGES, fewer for big images, at least 1. */
export function imagesPerChunk(imageBytes: number, most = CHUNK_IMAGES): number {
  return Math.max(1, Math.min(most, Math.floor(MAX_CHUNK_BYTES / Math.max(1, imageBytes))))
}
