import type { Command } from '../command'
import { UsageError } from '../args'

export const projectListCommand: Command = {
  words: ['project', 'list'],
  usage: 'lab project list [--json]',
  summary: 'List projects.',
  async run(_args, { api, json, out }) {
    const projects = await api.request('projects.list', {})
    if (json) out(JSON.stringify(projects, null, 2))
    else if (projects.length === 0) out('No projects yet. Create one with: lab project create <name>')
    else for (const p of projects) out(`${String(p.id).padStart(4)}  ${p.name}  (${p.runCount} runs)`)
    return 0
  }
}

export const projectCreateCommand: Command = {
  words: ['project', 'create'],
  usage: 'lab project create <name> [--json]',
  summary: 'Create a project.',
  async run({ positionals }, { api, json, out }) {
    if (positionals.length !== 1) throw new UsageError('Give exactly one project name (quote it if it has spaces).')
    const project = await api.request('projects.create', { name: positionals[0] })
    out(json ? JSON.stringify(project, null, 2) : `Created project ${project.id}: ${project.name}`)
    return 0
  }
}
