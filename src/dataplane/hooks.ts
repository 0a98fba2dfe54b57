import type { JournalOp } from './journal.js';

/**
 * Test and fault-injection hooks. Each is awaited; an error thrown from one ends the run as that
 * error, as a crash at that point would.
 */
export interface EngineHooks {
  /**
   * Called right before copyFile reads a source file, once the pre-copy stat and the open checks
   * have passed. Attempts count from 1.
   */
  beforeFileCopy?(relPath: Buffer, attempt: number): Promise<void> | void;
  /** Called after staging is complete, before the journal is written. */
  beforeCommit?(): Promise<void> | void;
  /** Called after journal op `index` has been applied to the replica. */
  afterCommitOp?(index: number, op: JournalOp): Promise<void> | void;
  /** Called after the commit is applied and the journal removed. */
  afterCommit?(): Promise<void> | void;
}
