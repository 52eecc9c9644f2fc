import type { Handlers } from './handler'
import { createProject, listProjects, renameProject } from '../store/projects'

export const projectHandlers: Handlers<'projects.list' | 'projects.create' | 'projects.rename'> = {
  'projects.list': (_params, { db }) => listProjects(db),
  'projects.create': ({ name }, { db, events }) => {
    const project = createProject(db, name)
    events.emit('projects.changed', { id: project.id })
    return project
  },
  'projects.rename': ({ id, name }, { db, events }) => {
    const project = renameProject(db, id, name)
    events.emit('projects.changed', { id: project.id })
    return project
  }
}
