/**
 * A sweep on a real Slurm (Debian's slurm-wlm and munge; .ci/run installs them): the test brings up
 * a one-node cluster of its own in a temporary folder — munged with its own key and socket,
 * slurmctld and slurmd on free ports, MaxArraySize 1 — emits a two-cell sweep into a shared folder
 * whose path holds a space (as two array jobs, since only index 0 is allowed), submits it with the
 * very lines `lab sweep emit` prints, waits for the arrays, merges the bundles with the printed
 * merge line, and checks the merged comparison equals `lab sweep local`'s. The daemons are stopped
 * by their PIDs. Without Slurm's programs or root (slurmd runs jobs as their user) the test is
 * skipped with the reason in its name.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { testLab } from '../../support/lab'
import { tempDir } from '../../support/temp'

const root = path.resolve(__dirname, '../../..')
const LAB = [process.execPath, path.join(root, 'bin/lab.mjs')]
const PROGRAMS = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'scontrol', 'sinfo']

function unavailable(): string | null {
  if (process.platform !== 'linux') return `Slurm's daemons run on Linux, not ${process.platform}`
  const missing = PROGRAMS.filter(
    (p) => spawnSync('sh', ['-c', `command -v ${p}`], { env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } }).status !== 0
  )
  if (missing.length) return `${missing.join(', ')} not found (apt-get install slurm-wlm munge)`
  if (process.getuid?.() !== 0) return 'slurmd must run as root to start jobs, and this test runs as a user'
  return null
}
const reason = unavailable()

const sweepJson = {
  name: 'two cells',
  base: {
    dataset: 'mnist',
    subset: { train: 400, test: 100 },
    model: { arch: 'mlp' },
    optimizer: { kind: 'sgd', lr: 0.1 },
    epochs: 1,
    batchSize: 50
  },
  grid: { seed: [1, 2] },
  evaluate: { attacks: [{ attack: 'fgsm' }], epsilons: [0.1, 0.2], n: 60 }
}

/**
 * Array indices only up to 0: the two cells must then go as two array jobs, which emit learns from
 * `scontrol show config` (as a 1,200-cell sweep on a cluster with the default 1001 would).
 */
const MAX_ARRAY_SIZE = 1
const t = tempDir('slurm')
const daemons: ChildProcess[] = []
afterAll(async () => {
  // Stopped by PID, newest first (slurmd, slurmctld, munged), each awaited.
  for (const d of daemons.reverse()) {
    if (d.exitCode !== null || d.signalCode !== null) continue
    const exited = new Promise((resolve) => d.once('exit', resolve))
    process.kill(d.pid!, 'SIGTERM')
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))])
    if (d.exitCode === null && d.signalCode === null) process.kill(d.pid!, 'SIGKILL')
  }
  t.cleanup()
})

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A daemon in the foreground (-D/-F), its output kept in a file for the failure messages. */
function startDaemon(program: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const log = fs.openSync(path.join(t.dir, `${program}.out`), 'a')
  const child = spawn(program, args, { env, stdio: ['ignore', log, log] })
  daemons.push(child)
  return child
}

const tail = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(-25).join('\n') : `(no ${file})`)
const daemonLogs = () =>
  ['munged.out', 'slurmctld.out', 'slurmd.out', 'log/slurmctld.log', 'log/slurmd.log']
    .map((f) => `--- ${f}\n${tail(path.join(t.dir, f))}`)
    .join('\n')

async function startCluster(): Promise<NodeJS.ProcessEnv> {
  const dir = t.dir
  for (const d of ['munge', 'state', 'spool', 'log']) fs.mkdirSync(path.join(dir, d), { recursive: true, mode: 0o700 })
  fs.chmodSync(dir, 0o755) // munged wants its socket's folders searchable
  const key = path.join(dir, 'munge/munge.key')
  fs.writeFileSync(key, crypto.randomBytes(1024), { mode: 0o600 })
  const socket = path.join(dir, 'munge/munge.socket')
  const env = { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin`, SLURM_CONF: path.join(dir, 'slurm.conf') }
  startDaemon(
    'munged',
    [
      '-F',
      '--force',
      `--socket=${socket}`,
      `--key-file=${key}`,
      `--pid-file=${dir}/munge/munged.pid`,
      `--seed-file=${dir}/munge/munged.seed`,
      `--log-file=${dir}/munge/munged.log`
    ],
    env
  )

  const [ctldPort, dPort] = [await freePort(), await freePort()]
  // RealMemory a little below the machine's, or slurmd finds less than promised and drains the node.
  const memory = Math.floor((os.totalmem() / 2 ** 20) * 0.9)
  fs.writeFileSync(
    env.SLURM_CONF,
    `ClusterName=advlabtest
SlurmctldHost=localhost
SlurmctldPort=${ctldPort}
SlurmdPort=${dPort}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=${socket}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
StateSaveLocation=${dir}/state
SlurmdSpoolDir=${dir}/spool
SlurmctldPidFile=${dir}/slurmctld.pid
SlurmdPidFile=${dir}/slurmd.pid
SlurmctldLogFile=${dir}/log/slurmctld.log
SlurmdLogFile=${dir}/log/slurmd.log
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MaxArraySize=${MAX_ARRAY_SIZE}
NodeName=localhost CPUs=${os.cpus().length} RealMemory=${memory} State=UNKNOWN
PartitionName=advlab Nodes=localhost Default=YES MaxTime=INFINITE State=UP
`
  )
  await sleep(500) // munged's socket
  startDaemon('slurmctld', ['-D', '-i', '-f', env.SLURM_CONF], env)
  await sleep(1000)
  startDaemon('slurmd', ['-D', '-N', 'localhost', '-f', env.SLURM_CONF], env)
  for (let i = 0; i < 60; i++) {
    const state = spawnSync('sinfo', ['-h', '-N', '-o', '%T'], { env, encoding: 'utf8' }).stdout.trim()
    if (state === 'idle') return env
    await sleep(500)
  }
  throw new Error(`the one-node cluster did not come up:\n${daemonLogs()}`)
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: t.dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

/** Every array task's state, once none is pending or running. */
async function arrayStates(jobId: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  for (let i = 0; i < 360; i++) {
    const shown = spawnSync('scontrol', ['show', 'job', '-o', jobId], { env, encoding: 'utf8' }).stdout
    const states = [...shown.matchAll(/JobState=(\S+)/g)].map((m) => m[1])
    if (states.length && states.every((s) => !['PENDING', 'RUNNING', 'CONFIGURING', 'COMPLETING'].includes(s))) return states
    await sleep(1000)
  }
  throw new Error(`array job ${jobId} did not finish in 6 minutes:\n${daemonLogs()}`)
}

async function tableOf(api: ReturnType<typeof testLab>['api']) {
  const models = (await api.request('runs.select', { kind: 'train' })).sort((a, b) => a.name.localeCompare(b.name))
  const ids = models.map((r) => r.id)
  const table = await api.request('export.table', { ids, format: 'md' })
  const cmp = await api.request('runs.compare', { ids, metrics: [], agreement: false })
  return {
    text: table.text,
    names: cmp.runs.map((r) => r.name),
    cells: cmp.evaluations.map((e) => ({ attack: e.attack, epsilon: e.epsilon, accuracy: e.accuracy, n: e.n }))
  }
}

if (reason) it.skip(`a sweep on a real one-node Slurm — skipped: ${reason}`, () => {})
else
  describe('a sweep on a real one-node Slurm', () => {
    it('runs as `lab sweep emit` prints it, and merges to the table of `lab sweep local`', async () => {
      const env = await startCluster()
      const taskEnv = { ...env, ADVLAB_BACKEND: 'wasm', ADVLAB_LAB: LAB.join(' '), TMPDIR: t.dir }
      const file = path.join(t.dir, 'sweep.json')
      fs.writeFileSync(file, JSON.stringify(sweepJson))
      const shared = path.join(t.dir, 'shared folder')

      // Emit on the "login node" (scontrol answers here, so MaxArraySize is the cluster's).
      const emitted = await run(
        LAB[0],
        [LAB[1], 'sweep', 'emit', file, '--target', 'slurm', '--out', shared, '--cpus', '1', '--mem', '1', '--time', '00:10:00'],
        taskEnv
      )
      expect(emitted.code, emitted.stderr).toBe(0)
      const submitLines = emitted.stdout
        .split('\n')
        .filter((l) => l.startsWith('  sbatch '))
        .map((l) => l.trim())
      expect(emitted.stdout).toContain(
        `The sweep is split into 2 array jobs: the cluster's MaxArraySize is ${MAX_ARRAY_SIZE} (from scontrol show config).`
      )
      expect(submitLines).toEqual([
        `sbatch '${shared}/advlab-two-cells.cells-0-0.slurm'`,
        `sbatch '${shared}/advlab-two-cells.cells-1-1.slurm'`
      ])
      const mergeLine = /^Then merge the results: (lab sweep merge .*)$/m.exec(emitted.stdout)?.[1]
      expect(mergeLine).toBe(`lab sweep merge '${shared}/bundles'`)

      // Submitted exactly as printed, from a shell.
      const jobIds: string[] = []
      for (const line of submitLines) {
        const submitted = await run('bash', ['-c', line], taskEnv)
        expect(submitted.code, submitted.stderr).toBe(0)
        const jobId = /Submitted batch job (\d+)/.exec(submitted.stdout)?.[1]
        expect(jobId, submitted.stdout + submitted.stderr).toBeDefined()
        jobIds.push(jobId!)
      }
      const states = [await arrayStates(jobIds[0], env), await arrayStates(jobIds[1], env)]
      const logs = fs.readdirSync(path.join(shared, 'logs')).sort()
      const taskLogs = logs.map((f) => `--- ${f}\n${tail(path.join(shared, 'logs', f))}`).join('\n')
      expect(states, `${taskLogs}\n${daemonLogs()}`).toEqual([['COMPLETED'], ['COMPLETED']])
      expect(logs).toEqual(jobIds.flatMap((id) => [`advlab-two-cells-${id}_0.err`, `advlab-two-cells-${id}_0.out`]).sort())
      expect(fs.readdirSync(path.join(shared, 'bundles')).sort()).toEqual([
        'advlab-two-cells-cell-0000.advlab.zip',
        'advlab-two-cells-cell-0001.advlab.zip'
      ])

      // The printed merge line (the lab CLI for `lab`), into a log of its own; and the same sweep in one log.
      const mergedDir = path.join(t.dir, 'merged')
      const localDir = path.join(t.dir, 'local')
      const merged = await run(
        'bash',
        ['-c', `${mergeLine!.replace(/^lab /, `${LAB.map((w) => `'${w}'`).join(' ')} `)} --data-dir '${mergedDir}'`],
        taskEnv
      )
      expect(merged.code, merged.stdout + merged.stderr).toBe(0)
      const local = await run(LAB[0], [LAB[1], 'sweep', 'local', file, '--data-dir', localDir], taskEnv)
      expect(local.code, local.stdout + local.stderr).toBe(0)

      const mergedLab = testLab('slurm-merged', mergedDir)
      const localLab = testLab('slurm-local', localDir)
      try {
        const remote = await tableOf(mergedLab.api)
        const here = await tableOf(localLab.api)
        expect(remote.names).toEqual(['two cells · seed=1', 'two cells · seed=2'])
        expect(remote.cells.map((c) => [c.attack, c.epsilon])).toEqual([
          ['clean', 0],
          ['fgsm', 0.1],
          ['fgsm', 0.2]
        ])
        expect(remote.cells).toEqual(here.cells)
        expect(remote.text).toBe(here.text)
      } finally {
        await mergedLab.lab.close()
        await localLab.lab.close()
      }
    }, 420_000)
  })
