import { afterEach, describe, expect, it } from 'vitest'
import { openLog } from '../../../src-main/lab/store/open'
import { createProject, listProjects, renameProject } from '../../../src-main/lab/store/projects'
import { LabError } from '../../../src-main/api/errors'
import { tempDir } from '../../support/temp'

const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))
function db() {
  const t = tempDir('projects')
  const log = openLog(t.dir)
  cleanups.push(() => {
    log.db.close()
    t.cleanup()
  })
  return log.db
}

describe('projects in the log', () => {
  it('lists projects by name, case-insensitively, with their run counts', () => {
    const d = db()
    createProject(d, 'beta')
    createProject(d, 'Alpha')
    expect(listProjects(d).map((p) => [p.name, p.runCount])).toEqual([
      ['Alpha', 0],
      ['beta', 0]
    ])
  })

  it('treats names differing only in case as the same name', () => {
    const d = db()
    createProject(d, 'MNIST')
    expect(() => createProject(d, 'mnist')).toThrow(LabError)
  })

  it('renames a project and moves its updatedAt forward', async () => {
    const d = db()
    const p = createProject(d, 'old')
    await new Promise((r) => setTimeout(r, 5))
    const renamed = renameProject(d, p.id, 'new')
    expect(renamed.name).toBe('new')
    expect(renamed.updatedAt > p.updatedAt).toBe(true)
  })
})
