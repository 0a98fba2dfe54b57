export {
  replicateTree,
  recoverReplica,
  type ReplicateTreeOptions,
  type RunStats,
  type RecoveryOutcome,
  type EngineHooks,
  type TransferProgress,
} from './replicate.js';
export { TransferError, type TransferErrorCode } from './errors.js';
export type { JournalOp } from './journal.js';
