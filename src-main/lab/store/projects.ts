import type Database from 'better-sqlite3'
import type { Project } from '../../api/projects'
import { LabError } from '../../api/errors'

interface ProjectRow {
  id: number
  name: string
  created_at: string
  updated_at: string
  run_count: number
}

const SELECT = `
  SELECT p.id, p.name, p.created_at, p.updated_at,
         (SELECT count(*) FROM runs r WHERE r.project_id = p.id) AS run_count
  FROM projects p`

const toProject = (row: ProjectRow): Project => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  runCount: row.run_count
})

export function listProjects(db: Database.Database): Project[] {
  return (db.prepare(`${SELECT} ORDER BY p.name COLLATE NOCASE`).all() as ProjectRow[]).map(toProject)
}

export function getProject(db: Database.Database, id: number): Project {
  const row = db.prepare(`${SELECT} WHERE p.id = ?`).get(id) as ProjectRow | undefined
  if (!row) throw new LabError('not_found', `There is no project with id ${id}.`, 'id')
  return toProject(row)
}

export function createProject(db: Database.Database, name: string): Project {
  const now = new Date().toISOString()
  try {
    const { lastInsertRowid } = db.prepare('INSERT INTO projects (name, created_at, updated_at) VALUES (?, ?, ?)').run(name, now, now)
    return getProject(db, Number(lastInsertRowid))
  } catch (error) {
    throw uniqueNameError(error, name)
  }
}

export function renameProject(db: Database.Database, id: number, name: string): Project {
  getProject(db, id)
  try {
    db.prepare('UPDATE projects SET name = ?, updated_at = ? WHERE id = ?').run(name, new Date().toISOString(), id)
  } catch (error) {
    throw uniqueNameError(error, name)
  }
  return getProject(db, id)
}

function uniqueNameError(error: unknown, name: string): unknown {
  if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
    return new LabError('conflict', `A project named "${name}" already exists; choose another name.`, 'name')
  return error
}

/** Refuses a project id that is given but not in the log; no id means "no project". */
export function requireProject(db: Database.Database, projectId: number | undefined, field = 'projectId'): void {
  if (projectId !== undefined && !db.prepare('SELECT 1 FROM projects WHERE id = ?').get(projectId))
    throw new LabError('not_found', `There is no project with id ${projectId}.`, field)
}
