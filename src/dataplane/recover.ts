import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { applyContext, applyJournal, finishCommit } from './apply-journal.js';
import { sealIndex } from './commit.js';
import { asTransferError } from './errors.js';
import { readJournalOps, verifyJournal } from './journal.js';
import { removeTree } from './remove-tree.js';
import { pathExists, workDirLayout, type WorkDirLayout } from './workdir.js';

/** Result of recoverReplica: the state it found and the action it took. */
export type RecoveryOutcome = 'rolled-forward' | 'discarded-staging' | 'clean';

/**
 * Brings the replica back to its last committed version after an interrupted run. A journal means
 * the run was committed, so its ops are replayed (index swap included) and the commit finished.
 * Without a journal, any staging, plan, new index, trash or half-written journal.tmp means the
 * run stopped before its commit point. They are deleted and the replica and its index are left
 * as they are. Call it before each run and at server start, never while a run on the same
 * workDir is under way.
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
  const ops = await verifyJournal(layout);
  logger.warn(
    { workDir: layout.root.toString(), ops },
    'Completing an interrupted replication commit',
  );
  const ctx = applyContext(layout, targetRoot, { logger });
  await applyJournal(ctx, readJournalOps(layout));
  await finishCommit(ctx);
  if (ctx.indexDigest !== undefined && !ctx.replicaDiffered) {
    await sealIndex({ layout, targetRoot, logger, fsync: true }, ctx.indexDigest);
  }
  logger.info({ workDir: layout.root.toString() }, 'Completed the interrupted replication commit');
}

async function discardLeftovers(layout: WorkDirLayout): Promise<boolean> {
  let found = false;
  const leftovers = [
    layout.journalTmp,
    layout.staging,
    layout.trash,
    layout.plan,
    layout.indexNext,
    layout.sealTmp,
  ];
  for (const path of leftovers) {
    if (!(await pathExists(path))) continue;
    found = true;
    await removeTree(path);
  }
  return found;
}
