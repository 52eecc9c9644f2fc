// A serve-mode process for tests that need to kill it: the real server and lab service, with an
// empty renderer directory. Prints the URL line exactly as serve mode does.
import { startServer } from '../../src-main/server/server'

const [dataDir, rendererDir] = process.argv.slice(2)
const server = await startServer({ dataDir, rendererDir })
process.stdout.write(`AdvLab is serving on ${server.url}\n`)
