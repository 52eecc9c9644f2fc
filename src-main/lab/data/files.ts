/** Small file-system helpers whose errors always name the path (see errors.ts). */
import fs from 'node:fs'
import path from 'node:path'
import { badFile, fileSystemError } from './errors'

export async function statPath(file: string): Promise<fs.Stats> {
  try {
    return await fs.promises.stat(file)
  } catch (error) {
    throw fileSystemError(error, file)
  }
}

/** Names in a folder, sorted by code point (the order Python's sorted() gives, as torchvision uses). */
export async function listFolder(dir: string): Promise<string[]> {
  try {
    const names = await fs.promises.readdir(dir)
    return names.sort(byCodePoint)
  } catch (error) {
    throw fileSystemError(error, dir)
  }
}

export async function listSubfolders(dir: string): Promise<string[]> {
  const names = await listFolder(dir)
  const out: string[] = []
  for (const name of names) {
    if (name.startsWith('.')) continue
    const stats = await fs.promises.stat(path.join(dir, name)).catch(() => null)
    if (stats?.isDirectory()) out.push(name)
  }
  return out
}

/** A regular file we can read, or a bad_input error that says why not. */
export async function requireFile(file: string): Promise<fs.Stats> {
  const stats = await statPath(file)
  if (stats.isDirectory()) throw fileSystemError(Object.assign(new Error('EISDIR'), { code: 'EISDIR' }), file)
  // Opening a named pipe waits for a writer that never comes; a device never ends.
  if (!stats.isFile())
    throw badFile(file, 'is not a regular file (it is a named pipe, socket or device)', 'Put the dataset file itself there.')
  try {
    await fs.promises.access(file, fs.constants.R_OK)
  } catch (error) {
    throw fileSystemError(error, file)
  }
  return stats
}

export async function requireFolder(dir: string): Promise<void> {
  const stats = await statPath(dir)
  if (!stats.isDirectory()) {
    const hint = /\.(tar|tgz|gz|zip|7z|xz)$/i.test(dir)
      ? 'It looks like an archive: extract it first, then point AdvLab at the extracted folder.'
      : 'Point AdvLab at the folder that holds the dataset files.'
    throw badFile(dir, 'is a file, but a dataset folder was expected', hint)
  }
  try {
    await fs.promises.access(dir, fs.constants.R_OK | fs.constants.X_OK)
  } catch (error) {
    throw fileSystemError(error, dir)
  }
}

/** A class-name list is read whole; 16 MiB holds a million long names. */
export const MAX_NAME_LIST_BYTES = 16 << 20

/** Reads a small text file (class-name lists): one trimmed, non-empty line per entry. */
export async function readNameList(file: string): Promise<string[]> {
  const stats = await requireFile(file)
  if (stats.size > MAX_NAME_LIST_BYTES)
    throw badFile(
      file,
      `is ${stats.size.toLocaleString('en-US')} bytes, but a class-name list is read whole and may be at most ${MAX_NAME_LIST_BYTES.toLocaleString('en-US')} bytes (16 MiB)`,
      'Check that this is the list of class names, one per line.'
    )
  try {
    const text = await fs.promises.readFile(file, 'utf8')
    return text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0)
  } catch (error) {
    throw fileSystemError(error, file)
  }
}

export const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
