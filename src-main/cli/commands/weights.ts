import type { Command } from '../command'
import { UsageError } from '../args'
import { waitForRun } from '../wait-for-run'

export const importWeightsCommand: Command = {
  words: ['import-weights'],
  usage: 'lab import-weights --file F.safetensors --dataset NAME [--arch A] [--width W] [--name N] [--json]',
  summary: 'Bring in a PyTorch state_dict (safetensors); checks every key and the clean accuracy.',
  options: { values: ['file', 'dataset', 'arch', 'width', 'name'] },
  async run({ options }, ctx) {
    if (!options.file || !options.dataset) throw new UsageError('Give --file and --dataset.')
    const params: Record<string, unknown> = { file: options.file, dataset: options.dataset }
    if (options.arch) params.arch = options.arch
    if (options.width) params.width = Number(options.width)
    if (options.name) params.name = options.name
    const run = await ctx.api.request('weights.import', params as never)
    const final = await waitForRun(ctx.api, run.id, { interactive: ctx.interactive, err: ctx.err, quiet: ctx.json })
    const events = await ctx.api.request('runs.events', { id: run.id })
    if (ctx.json) ctx.out(JSON.stringify({ run: final, events }, null, 2))
    else ctx.out(final.status === 'completed' ? (events.at(-2)?.message ?? `Run ${run.id} completed.`) : `Import failed: ${final.error}`)
    return final.status === 'completed' ? 0 : 1
  }
}

export const exportWeightsCommand: Command = {
  words: ['export-weights'],
  usage: 'lab export-weights <run-id> --out F.safetensors [--json]',
  summary: "Write a run's final weights as a PyTorch state_dict (safetensors).",
  options: { values: ['out'] },
  async run({ positionals, options }, ctx) {
    const id = Number(positionals[0])
    if (positionals.length !== 1 || !Number.isInteger(id) || !options.out) throw new UsageError('Give the run id and --out FILE.')
    const result = await ctx.api.request('weights.export', { id, out: String(options.out) })
    ctx.out(
      ctx.json
        ? JSON.stringify(result, null, 2)
        : `Wrote ${result.file} (${result.bytes} bytes, sha256 ${result.sha256.slice(0, 12)}…). Load it in PyTorch with safetensors.torch.load_file; module definitions: bench/reference/models.py.`
    )
    return 0
  }
}
