import { displayPath, type RelPath } from './rel-path.js';

/**
 * Reason a replication run failed, for the job runner to record:
 * - SOURCE_CHANGED: a source entry kept changing while it was copied, or changed type.
 * - SOURCE_UNREADABLE: listing, stat or reading a source entry failed.
 * - TARGET_UNREADABLE: listing or stat of a replica entry failed.
 * - TARGET_CHANGED: the replica lacks an entry that the index of its last committed version
 *   lists, so something else wrote to it. The run discards the index, so the next run
 *   compares against the replica itself and repairs it.
 * - TARGET_WRITE_FAILED: writing the replica or the work directory failed.
 * - JOURNAL_INVALID: the commit journal exists but cannot be parsed.
 * - INVALID_OPTIONS: the directories overlap, are missing or are on different file systems.
 * - ABORTED: the abort signal fired before the commit point.
 */
export type TransferErrorCode =
  | 'SOURCE_CHANGED'
  | 'SOURCE_UNREADABLE'
  | 'TARGET_UNREADABLE'
  | 'TARGET_CHANGED'
  | 'TARGET_WRITE_FAILED'
  | 'JOURNAL_INVALID'
  | 'INVALID_OPTIONS'
  | 'ABORTED';

export interface TransferErrorDetails {
  /** Volume-relative path of the entry involved, when there is one. */
  path?: RelPath;
  /** The fs operation that failed, such as 'lstat' or 'copyFile'. */
  operation?: string;
  cause?: unknown;
}

/** A failed replication run, with the path and operation involved. */
export class TransferError extends Error {
  override readonly name = 'TransferError';
  readonly code: TransferErrorCode;
  /** Display form of the volume-relative path (see displayPath), when there is one. */
  readonly path: string | undefined;
  readonly operation: string | undefined;

  constructor(code: TransferErrorCode, message: string, details: TransferErrorDetails = {}) {
    const where = details.path === undefined ? '' : ` (path '${displayPath(details.path)}')`;
    const reason = systemReason(details.cause);
    const because = reason === undefined ? '' : `: ${reason}`;
    super(
      `${message}${where}${because}`,
      details.cause === undefined ? {} : { cause: details.cause },
    );
    this.code = code;
    this.path = details.path === undefined ? undefined : displayPath(details.path);
    this.operation = details.operation;
  }
}

/**
 * Returns the errno code of a system error cause with its description, such as
 * 'EACCES: permission denied', or undefined for other causes.
 */
function systemReason(cause: unknown): string | undefined {
  const code = errnoCode(cause);
  if (code === undefined || !/^E[A-Z0-9]+$/.test(code)) return undefined;
  const message = cause instanceof Error ? cause.message : '';
  const prefix = `${code}: `;
  if (!message.startsWith(prefix)) return code;
  return `${code}: ${message.slice(prefix.length).split(',')[0]}`;
}

/**
 * Runs `action` and turns any error it throws that is not already a TransferError into one with
 * `code`, keeping the original as its cause.
 */
export async function asTransferError<T>(
  code: TransferErrorCode,
  message: string,
  operation: string,
  action: () => Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof TransferError) throw error;
    throw new TransferError(code, message, { operation, cause: error });
  }
}

/** Returns the errno code of a Node fs error, or undefined. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Throws ABORTED when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new TransferError('ABORTED', 'Replication run aborted before the commit point', {
      cause: signal.reason,
    });
  }
}
