/**
 * The child process of the durability test: logs metrics as fast as it can into the log in
 * argv[2], the way a training job does (MetricWriter batches, one transaction per flush), and after
 * every committed flush prints "committed <runId> <lastStep>". The parent kills it with SIGKILL.
 */
import { openLog } from '../../../src-main/lab/store/open'
import { createRun, setRunStatus } from '../../../src-main/lab/store/runs'
import { MetricWriter } from '../../../src-main/lab/store/metric-writer'
import { logEvent } from '../../../src-main/lab/store/events'

const NAMES = ['train/loss', 'train/accuracy', 'test/loss', 'test/accuracy', 'lr']

const { db } = openLog(process.argv[2])
const runId = createRun(db, { name: `writer ${process.pid}`, kind: 'train', config: { pid: process.pid }, seed: 0 })
setRunStatus(db, runId, 'running')
process.stdout.write(`run ${runId}\n`)
const writer = new MetricWriter(db, { maxBuffered: 1_000_000 })
const stepsPerFlush = 1 + Math.floor(Math.random() * 400)
for (let step = 0; ; step++) {
  writer.add(
    runId,
    NAMES.map((name, i) => ({ name, step, value: Math.sin(step + i) }))
  )
  if ((step + 1) % stepsPerFlush === 0) {
    writer.flush()
    process.stdout.write(`committed ${runId} ${step}\n`)
    if (step % (stepsPerFlush * 10) === 0) logEvent(db, runId, 'info', `step ${step}`)
  }
}
