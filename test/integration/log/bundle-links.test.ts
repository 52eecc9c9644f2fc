/**
 * The run ids inside configs that a bundle links by uid and an import maps to the importing log's
 * ids: every id-bearing field of every run kind's config is known (a new one added to the
 * contract without being listed fails here), and a wrapped run's source config is mapped too.
 */
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { RUN_KINDS } from '../../../src-main/api/runs'
import { RUN_CONFIG_SCHEMAS } from '../../../src-main/api/run-configs'
import { mapRunIds, RUN_ID_FIELDS, runIdsIn } from '../../../src-main/lab/store/export/bundle-links'

describe('run ids inside configs', () => {
  it.each(RUN_KINDS)('every field of a %s config that names runs is listed', (kind) => {
    const shape = (RUN_CONFIG_SCHEMAS[kind] as unknown as z.ZodObject).shape
    const named = Object.keys(shape).filter((k) => /(^r|R)unIds?$/.test(k))
    expect([...RUN_ID_FIELDS[kind]].sort()).toEqual(named.sort())
  })

  it('maps every id of an attack config and leaves the rest alone', () => {
    const config = { runId: 1, surrogateRunId: 2, targetRunIds: [1], attack: 'pgd', epsilon: 0.1, n: 100, seed: 1 }
    const mapped = mapRunIds(
      'attack',
      config,
      (id) => id + 10,
      () => 'train'
    )
    expect(mapped).toEqual({ ...config, runId: 11, surrogateRunId: 12, targetRunIds: [11] })
    expect(config.runId).toBe(1) // the original is not changed
  })

  it("maps a wrapped run's source and the ids inside the source's own config (a distilled student's teacher)", () => {
    const config = { sourceRunId: 5, defence: { kind: 'gradient-truncation' }, source: { teacherRunId: 4, student: {} } }
    const kinds: Record<number, string> = { 4: 'train', 5: 'distill' }
    expect(runIdsIn('wrapped', config, (id) => kinds[id]).sort()).toEqual([4, 5])
    expect(
      mapRunIds(
        'wrapped',
        config,
        (id) => id * 100,
        (id) => kinds[id]
      )
    ).toEqual({ ...config, sourceRunId: 500, source: { teacherRunId: 400, student: {} } })
  })
})
