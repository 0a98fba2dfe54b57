import type { JournalOp } from './journal.js';

/**
 * Test and fault-injection hooks. Each is awaited; an error thrown from one ends the run as that
 * error, as a crash at that point would.
 */
export interface EngineHooks {
  /**
   * Called right before a source file is read for staging, once the pre-read stat and the open
   * checks have passed. Attempts count from 1.
   */
  beforeFileCopy?(relPath: Buffer, attempt: number): Promise<void> | void;
  /** Called after staging is complete, before the journal is written. */
  beforeCommit?(): Promise<void> | void;
  /** Called after journal op `index` has been applied to the replica. */
  afterCommitOp?(index: number, op: JournalOp): Promise<void> | void;
  /**
   * Called during a commit after each record of a delta file was written into the replica file
   * at `relPath` in place: `length` bytes at `offset`.
   */
  afterPatchWrite?(relPath: Buffer, offset: number, length: number): Promise<void> | void;
  /** Called after the commit is applied and the journal removed. */
  afterCommit?(): Promise<void> | void;
}

/** Carries an error thrown by a hook through code that wraps fs errors, to be rethrown as is. */
export class HookFailure {
  constructor(readonly error: unknown) {}
}

/** Runs a hook, marking what it throws as a HookFailure. */
export async function callHook(hook: () => Promise<void> | void): Promise<void> {
  try {
    await hook();
  } catch (error) {
    throw new HookFailure(error);
  }
}
