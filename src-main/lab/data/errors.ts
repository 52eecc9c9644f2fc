/**
 * Every problem with a user's files becomes one LabError('bad_input') whose message names the
 * file, says what is wrong with it and what to do. Nothing here throws anything else on purpose.
 */
import { LabError } from '../../api/errors'

/** `<file>: <problem>. <todo>` — the one shape of every data error message. */
export function badFile(file: string, problem: string, todo: string): LabError {
  return new LabError('bad_input', `${file}: ${problem}. ${todo}`)
}

/** Maps an operating-system error on `file` to a message the user can act on. */
export function fileSystemError(error: unknown, file: string): LabError {
  if (error instanceof LabError) return error
  const code = (error as NodeJS.ErrnoException)?.code
  switch (code) {
    case 'ENOENT':
      return badFile(file, 'does not exist', 'Check the path (is the drive mounted, the archive extracted?) and try again.')
    case 'EACCES':
    case 'EPERM':
      return badFile(file, 'permission denied', 'Give your user read access to it (e.g. chmod a+r) and try again.')
    case 'EISDIR':
      return badFile(file, 'is a folder, but a file was expected here', 'Move the folder out of the way or replace it with the file.')
    case 'ENOTDIR':
      return badFile(file, 'is a file, but a folder was expected here', 'Point AdvLab at the folder that holds the dataset.')
    case 'ELOOP':
      return badFile(file, 'is a symbolic link that loops', 'Fix the link and try again.')
    case 'EMFILE':
    case 'ENFILE':
      return badFile(file, 'could not be opened because too many files are open', 'Close other programs and try again.')
    case 'EIO':
      return badFile(file, 'could not be read (input/output error)', 'The disk may be failing; copy the data elsewhere and try again.')
    default: {
      const message = (error as Error)?.message ?? String(error)
      return badFile(file, `could not be read (${message})`, 'Check the file and try again.')
    }
  }
}

/** Runs `work`, turning any file-system error into a message about `file`. */
export async function withFileErrors<T>(file: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw fileSystemError(error, file)
  }
}

/** 60000 → "60,000": counts in messages read the way people write them. */
export const count = (n: number) => n.toLocaleString('en-US')
