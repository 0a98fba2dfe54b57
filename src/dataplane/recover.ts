import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { applyJournal, finishCommit, type ApplyContext } from './apply-journal.js';
import { asTransferError } from './errors.js';
import { readJournal } from './journal.js';
import { removeTree } from './remove-tree.js';
import { pathExists, workDirLayout, type WorkDirLayout } from './workdir.js';

/** Result of recoverReplica: the state it found and the action it took. */
export type RecoveryOutcome = 'rolled-forward' | 'discarded-staging' | 'clean';

/**
 * Brings the replica back to its last committed version after an interrupted run. A journal means
 * the run was committed, so its ops are replayed and the commit finished. Without a journal, any
 * staging, trash or half-written journal.tmp means the run stopped before its commit point. They
 * are deleted and the replica is left as it is. Call it before each run and at server start,
 * never while a run on the same workDir is under way.
 */
export async function recoverReplica(
  workDir: string,
  targetDir: string,
  logger: Logger,
): Promise<RecoveryOutcome> {
  const layout = workDirLayout(resolve(workDir));
  const message = 'Recovering the replica from its work directory failed';
  return asTransferError('TARGET_WRITE_FAILED', message, 'recover', async () => {
    if (await pathExists(layout.journal)) {
      await rollForward(layout, Buffer.from(resolve(targetDir)), logger);
      return 'rolled-forward';
    }
    if (await discardLeftovers(layout)) {
      logger.info({ workDir }, 'Discarded staging of an uncommitted replication run');
      return 'discarded-staging';
    }
    return 'clean';
  });
}

async function rollForward(
  layout: WorkDirLayout,
  targetRoot: Buffer,
  logger: Logger,
): Promise<void> {
  const ops = await readJournal(layout);
  logger.warn(
    { workDir: layout.root.toString(), ops: ops.length },
    'Completing an interrupted replication commit',
  );
  const ctx: ApplyContext = { layout, targetRoot };
  await applyJournal(ctx, ops);
  await finishCommit(ctx, ops);
  logger.info({ workDir: layout.root.toString() }, 'Completed the interrupted replication commit');
}

async function discardLeftovers(layout: WorkDirLayout): Promise<boolean> {
  let found = false;
  for (const path of [layout.journalTmp, layout.staging, layout.trash]) {
    if (!(await pathExists(path))) continue;
    found = true;
    await removeTree(path);
  }
  return found;
}
