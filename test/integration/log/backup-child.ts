/**
 * The child process of the backup-debris test: opens the log in argv[2] and backs it up to argv[3]
 * through the lab's own backupLog, printing "backing up" first. The parent kills it with SIGKILL
 * while the copy is under way.
 */
import { openLog } from '../../../src-main/lab/store/open'
import { backupLog } from '../../../src-main/lab/store/backup'

const { db } = openLog(process.argv[2])
process.stdout.write('backing up\n')
for (;;) await backupLog(db, process.argv[3])
