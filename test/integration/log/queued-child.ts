/**
 * The child process of the queued-ghost test: a real lab service on the data directory in argv[2]
 * that takes no jobs (concurrency 0), so the run it creates stays `queued` — exactly what a user sees
 * when AdvLab is killed while a run waits its turn. Prints "queued <runId>"; the parent kills it.
 */
import { LabService } from '../../../src-main/lab/service'
import { createRun } from '../../../src-main/lab/store/runs'
import { TrainConfigSchema } from '../../../src-main/api/train'

const lab = new LabService({ dataDir: process.argv[2], concurrency: 0 })
const config = TrainConfigSchema.parse({ dataset: 'mnist', model: { arch: 'mlp', width: 1 }, epochs: 1, seed: 0 })
// What train.start does once it has checked its dataset: the run row, then its job in the queue.
const runId = createRun(lab.ctx.db, { name: 'waiting its turn', kind: 'train', config, seed: 0 })
void lab.ctx.startJob(runId, { kind: 'train', config }, 0)
process.stdout.write(`queued ${runId}\n`)
setInterval(() => {}, 1_000)
