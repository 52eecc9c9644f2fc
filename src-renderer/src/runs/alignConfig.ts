/**
 * Configs of different run kinds on one set of keys, so that the same setting lines up in the
 * Runs table's columns and Compare's parallel coordinates: a distillation's student is the model
 * it deploys, so `student.optimizer.lr` is read as `optimizer.lr`; a wrapped model's source config
 * likewise (`source.epochs` → `epochs`). A key the run sets itself wins over the nested one.
 */
const NESTED_MODEL: Record<string, string> = { distill: 'student.', wrapped: 'source.' }

export function alignConfig(kind: string, flat: Record<string, unknown>): Record<string, unknown> {
  const prefix = NESTED_MODEL[kind]
  if (!prefix) return flat
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(flat)) if (!key.startsWith(prefix)) out[key] = value
  for (const [key, value] of Object.entries(flat)) {
    if (!key.startsWith(prefix)) continue
    const aligned = key.slice(prefix.length)
    if (!(aligned in out)) out[aligned] = value
  }
  return out
}
