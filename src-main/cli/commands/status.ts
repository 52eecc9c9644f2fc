import type { Command } from '../command'

export const statusCommand: Command = {
  words: ['status'],
  usage: 'lab status [--json]',
  summary: 'Engine backend, versions, data directory, log path and counts.',
  async run(_args, { api, json, out }) {
    const status = await api.request('status.get', {})
    if (json) {
      out(JSON.stringify(status, null, 2))
      return 0
    }
    const { backend } = status
    out(`AdvLab ${status.app.version}`)
    out(`  engine backend  ${backend.name} — ${backend.device} (tfjs ${backend.tfjsVersion})`)
    for (const skip of backend.skipped) out(`    skipped ${skip.name}: ${skip.reason}`)
    out(
      `  versions        node ${status.versions.node}, sqlite ${status.versions.sqlite}${status.versions.electron ? `, electron ${status.versions.electron}` : ''}`
    )
    out(`  data directory  ${status.dataDir}`)
    out(`  log             ${status.logPath}`)
    if (status.setAside) out(`  note            the previous log was set aside (${status.setAside.reason}): ${status.setAside.path}`)
    out(`  counts          ${status.counts.projects} projects, ${status.counts.runs} runs, ${status.counts.datasets} datasets`)
    return 0
  }
}
