/**
 * The PyTorch reference: Debian's /usr/bin/python3 with torch (CI installs python3-torch). Tests that
 * compare against it are skipped — saying why — where it is missing.
 */
import { spawnSync } from 'node:child_process'

export const PYTHON = '/usr/bin/python3'

/** Why the reference cannot run here, or null when it can. */
export function torchUnavailable(): string | null {
  const check = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' })
  if (check.status === 0) return null
  return `${PYTHON} with torch is not available (${(check.stderr || String(check.error)).trim().split('\n').pop()})`
}
