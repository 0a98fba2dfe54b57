import type { FileHandle } from 'node:fs/promises';
import { lchown } from 'node:fs/promises';

/** Tells whether owners are replicated: only root may give files to other users. */
export function replicatesOwnership(): boolean {
  return process.getuid?.() === 0;
}

/**
 * Gives the entry at `path` (a symlink itself, never its target) the owner and group, when
 * running as root. Call it before chmod, because chown clears the setuid and setgid bits.
 */
export async function setPathOwner(path: Buffer, uid: number, gid: number): Promise<void> {
  if (replicatesOwnership()) await lchown(path, uid, gid);
}

/** Gives an open file or directory the owner and group, when running as root. */
export async function setHandleOwner(handle: FileHandle, uid: number, gid: number): Promise<void> {
  if (replicatesOwnership()) await handle.chown(uid, gid);
}
