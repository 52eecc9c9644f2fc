/**
 * `lab compare`, `lab export …`, `lab import`, `lab backup`, `lab restore`, `lab tag`, `lab delete`
 * and `lab trash …`: the experiment log from the terminal. Paths are resolved against the
 * current directory here, before they travel to the lab service.
 */
import path from 'node:path'
import type { Command } from '../command'
import { UsageError } from '../args'
import { TABLE_FORMATS, type TableFormat } from '../../api/log'
import { parseEpsilon as parseEpsilonText } from '../../api/epsilon'

/** Run ids as the user types them: "3 4 5", "3,4,5" or "3-5". */
export function parseIds(words: readonly string[]): number[] {
  const ids: number[] = []
  for (const part of words.flatMap((w) => w.split(',')).filter(Boolean)) {
    const range = /^(\d+)-(\d+)$/.exec(part)
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])]
      if (b < a || b - a > 10_000) throw new UsageError(`The range ${part} is backwards or too long.`)
      for (let i = a; i <= b; i++) ids.push(i)
    } else if (/^\d+$/.test(part) && Number(part) > 0) ids.push(Number(part))
    else throw new UsageError(`"${part}" is not a run id (see lab runs); give ids like 3 4 5, 3,4,5 or 3-5.`)
  }
  if (ids.length === 0) throw new UsageError('Give at least one run id (see lab runs).')
  return [...new Set(ids)]
}

/** The --eps option: the contract's ε parser, its complaint restated as a usage error. */
export function parseEpsilon(text: string | boolean | undefined): number | undefined {
  if (text === undefined) return undefined
  try {
    if (typeof text !== 'string') throw new Error('no value')
    return parseEpsilonText(text, 'eps')
  } catch {
    throw new UsageError(`--eps must be a number or a fraction such as 8/255, not "${String(text)}".`)
  }
}

/** --eps (one ε for every attack column) and --include-partial (results of unfinished evaluations, marked). */
function tableChoice(options: Record<string, string | boolean>): { epsilon?: number; includePartial: boolean } {
  const epsilon = parseEpsilon(options.eps)
  return { ...(epsilon === undefined ? {} : { epsilon }), includePartial: options['include-partial'] === true }
}

function format(value: string | boolean | undefined, fallback: TableFormat): TableFormat {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || !(TABLE_FORMATS as readonly string[]).includes(value))
    throw new UsageError(`--format must be one of ${TABLE_FORMATS.join(', ')}.`)
  return value as TableFormat
}

function requireOut(options: Record<string, string | boolean>, example: string): string {
  if (typeof options.out !== 'string') throw new UsageError(`Give where to write it with --out, e.g. --out ${example}.`)
  return path.resolve(options.out)
}

export const compareCommand: Command = {
  words: ['compare'],
  usage: 'lab compare <ids…> [--format md|csv|latex] [--eps 8/255] [--include-partial] [--json]',
  summary: 'The results table of runs (repeats as mean ± std, the table Compare shows), or the table object with --json.',
  options: { values: ['format', 'eps'], flags: ['include-partial'] },
  async run({ positionals, options }, { api, json, out }) {
    const choice = { ids: parseIds(positionals), ...tableChoice(options) }
    if (json) out(JSON.stringify(await api.request('results.table', choice), null, 2))
    else out((await api.request('export.table', { ...choice, format: format(options.format, 'md') })).text.trimEnd())
    return 0
  }
}

export const exportTableCommand: Command = {
  words: ['export', 'table'],
  usage: 'lab export table <ids…> --format csv|md|latex [--eps 8/255] [--include-partial] [--out FILE] [--json]',
  summary: 'The results table (as Compare shows it) as CSV, Markdown or LaTeX.',
  options: { values: ['format', 'eps', 'out'], flags: ['include-partial'] },
  async run({ positionals, options }, { api, json, out, err }) {
    const result = await api.request('export.table', {
      ids: parseIds(positionals),
      format: format(options.format, 'csv'),
      ...tableChoice(options),
      path: typeof options.out === 'string' ? path.resolve(options.out) : undefined
    })
    if (json) out(JSON.stringify(result, null, 2))
    else if (result.path) err(`Wrote ${result.path}`)
    else out(result.text.trimEnd())
    return 0
  }
}

export const exportBundleCommand: Command = {
  words: ['export', 'bundle'],
  usage: 'lab export bundle <ids…> --out FILE.advlab.zip [--json]',
  summary: 'A bundle of runs (config, metrics, results, events, checkpoints, gallery) for lab import.',
  options: { values: ['out'] },
  async run({ positionals, options }, { api, json, out }) {
    const r = await api.request('export.bundle', { ids: parseIds(positionals), path: requireOut(options, 'study.advlab.zip') })
    out(json ? JSON.stringify(r, null, 2) : `Wrote ${r.runs} run(s) to ${r.path} (${(r.bytes / 1e6).toFixed(2)} MB).`)
    return 0
  }
}

export const exportReportCommand: Command = {
  words: ['export', 'report'],
  usage: 'lab export report <ids…> --out FILE.html [--title TEXT] [--pdf] [--json]',
  summary: 'A self-contained HTML report (inline SVG charts); --pdf also prints it with Chromium.',
  options: { values: ['out', 'title'], flags: ['pdf'] },
  async run({ positionals, options }, { api, json, out, err }) {
    const r = await api.request('export.report', {
      ids: parseIds(positionals),
      path: requireOut(options, 'report.html'),
      title: typeof options.title === 'string' ? options.title : undefined,
      pdf: options.pdf === true
    })
    if (json) out(JSON.stringify(r, null, 2))
    else {
      out(`Wrote ${r.path}`)
      if (r.pdfPath) out(`Wrote ${r.pdfPath}`)
      if (r.pdfNote) err(r.pdfNote)
    }
    return r.pdfNote ? 1 : 0
  }
}

export const exportMlflowCommand: Command = {
  words: ['export', 'mlflow'],
  usage: 'lab export mlflow <ids…> --out DIR [--experiment NAME] [--json]',
  summary: 'An MLflow file store (open it with: mlflow ui --backend-store-uri DIR).',
  options: { values: ['out', 'experiment'] },
  async run({ positionals, options }, { api, json, out }) {
    const r = await api.request('export.mlflow', {
      ids: parseIds(positionals),
      path: requireOut(options, 'mlruns'),
      experiment: typeof options.experiment === 'string' ? options.experiment : undefined
    })
    out(
      json
        ? JSON.stringify(r, null, 2)
        : `Wrote ${r.runs} run(s) to experiment ${r.experimentId} in ${r.path}. View: mlflow ui --backend-store-uri ${r.path}`
    )
    return 0
  }
}

export const exportTensorBoardCommand: Command = {
  words: ['export', 'tensorboard'],
  usage: 'lab export tensorboard <ids…> --out DIR [--json]',
  summary: 'TensorBoard event files, one folder per run (view: tensorboard --logdir DIR).',
  options: { values: ['out'] },
  async run({ positionals, options }, { api, json, out }) {
    const r = await api.request('export.tensorboard', { ids: parseIds(positionals), path: requireOut(options, 'tb') })
    out(json ? JSON.stringify(r, null, 2) : `Wrote ${r.files.length} event file(s) under ${r.path}. View: tensorboard --logdir ${r.path}`)
    return 0
  }
}

export const importCommand: Command = {
  words: ['import'],
  usage: 'lab import <bundle.advlab.zip|folder> [--json]',
  summary: 'Import runs from a bundle; checked whole first, runs already here are skipped.',
  async run({ positionals }, { api, json, out }) {
    if (positionals.length !== 1) throw new UsageError('Give exactly one bundle (.advlab.zip or unpacked folder).')
    const r = await api.request('import.bundle', { path: path.resolve(positionals[0]) })
    if (json) out(JSON.stringify(r, null, 2))
    else {
      out(`Imported ${r.imported.length} run(s)${r.imported.length ? `: ${r.imported.map((x) => `${x.id} "${x.name}"`).join(', ')}` : ''}.`)
      if (r.skipped.length) out(`Skipped ${r.skipped.length} run(s) already in the log: ${r.skipped.map((x) => x.id).join(', ')}.`)
    }
    return 0
  }
}

export const backupCommand: Command = {
  words: ['backup'],
  usage: 'lab backup <file> [--json]',
  summary: 'A consistent copy of the whole log, taken while AdvLab keeps running.',
  async run({ positionals }, { api, json, out }) {
    if (positionals.length !== 1) throw new UsageError('Give the backup file to write, e.g. lab backup ~/advlab-2026-11-25.sqlite')
    const r = await api.request('log.backup', { path: path.resolve(positionals[0]) })
    out(json ? JSON.stringify(r, null, 2) : `Backed up the log to ${r.path} (${(r.bytes / 1e6).toFixed(2)} MB).`)
    return 0
  }
}

export const restoreCommand: Command = {
  words: ['restore'],
  usage: 'lab restore <backup-file> [--json]',
  summary: 'Replace the log with a backup (the current log is saved beside it first).',
  async run({ positionals }, { api, json, out }) {
    if (positionals.length !== 1) throw new UsageError('Give the backup file to restore.')
    const r = await api.request('log.restore', { path: path.resolve(positionals[0]) })
    out(
      json ? JSON.stringify(r, null, 2) : `Restored the log from ${r.restoredFrom}. The log it replaced is saved at ${r.previousSavedAt}.`
    )
    return 0
  }
}

export const tagCommand: Command = {
  words: ['tag'],
  usage: 'lab tag <ids…> --tag NAME[,NAME…] [--remove] [--json]',
  summary: 'Tag runs (or remove tags with --remove); select them later with the tag.',
  options: { values: ['tag'], flags: ['remove'] },
  async run({ positionals, options }, { api, json, out }) {
    if (typeof options.tag !== 'string') throw new UsageError('Give the tag(s) with --tag, e.g. --tag paper,fig-2')
    const ids = parseIds(positionals)
    const tags = options.tag
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)
    await api.request(options.remove ? 'runs.untag' : 'runs.tag', { ids, tags })
    out(
      json
        ? JSON.stringify({ ids, tags, removed: options.remove === true })
        : `${options.remove ? 'Removed' : 'Added'} ${tags.join(', ')} ${options.remove ? 'from' : 'to'} run(s) ${ids.join(', ')}.`
    )
    return 0
  }
}

export const deleteCommand: Command = {
  words: ['delete'],
  usage: 'lab delete <ids…> [--json]',
  summary: 'Move runs to the trash (lab trash restore brings them back; lab trash empty removes them).',
  async run({ positionals }, { api, json, out }) {
    const ids = parseIds(positionals)
    await api.request('runs.delete', { ids })
    out(json ? JSON.stringify({ ids }) : `Moved run(s) ${ids.join(', ')} to the trash.`)
    return 0
  }
}

export const trashListCommand: Command = {
  words: ['trash', 'list'],
  usage: 'lab trash list [--json]',
  summary: 'Runs in the trash.',
  async run(_a, { api, json, out }) {
    const list = await api.request('trash.list', {})
    if (json) out(JSON.stringify(list, null, 2))
    else if (list.length === 0) out('The trash is empty.')
    else
      for (const t of list)
        out(`${String(t.id).padStart(5)}  ${t.deletedAt}  ${(t.artifactBytes / 1e6).toFixed(1).padStart(8)} MB  ${t.name}`)
    return 0
  }
}

export const trashRestoreCommand: Command = {
  words: ['trash', 'restore'],
  usage: 'lab trash restore <ids…> [--json]',
  summary: 'Bring runs back from the trash.',
  async run({ positionals }, { api, json, out }) {
    const ids = parseIds(positionals)
    await api.request('trash.restore', { ids })
    out(json ? JSON.stringify({ ids }) : `Restored run(s) ${ids.join(', ')}.`)
    return 0
  }
}

export const trashEmptyCommand: Command = {
  words: ['trash', 'empty'],
  usage: 'lab trash empty [ids…] [--json]',
  summary: 'Remove runs in the trash for good, with their files.',
  async run({ positionals }, { api, json, out }) {
    const r = await api.request('trash.empty', positionals.length ? { ids: parseIds(positionals) } : {})
    out(json ? JSON.stringify(r, null, 2) : `Removed ${r.ids.length} run(s), freeing ${(r.freedBytes / 1e6).toFixed(1)} MB.`)
    return 0
  }
}

export const logCommands: readonly Command[] = [
  compareCommand,
  exportTableCommand,
  exportBundleCommand,
  exportReportCommand,
  exportMlflowCommand,
  exportTensorBoardCommand,
  importCommand,
  backupCommand,
  restoreCommand,
  tagCommand,
  deleteCommand,
  trashListCommand,
  trashRestoreCommand,
  trashEmptyCommand
]
