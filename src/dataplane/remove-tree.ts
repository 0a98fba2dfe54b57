import { chmod, lstat, readdir, rmdir, unlink } from 'node:fs/promises';
import { errnoCode } from './errors.js';

const REMOVE_BATCH = 32;

/**
 * Removes the entry at `path` and, for a directory, everything below it. Symlinks are removed,
 * never followed. Directories lacking owner rwx are given it first, so read-only trees from the
 * source can be removed without root. A missing path is not an error.
 */
export async function removeTree(path: Buffer): Promise<void> {
  let stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw error;
  }
  if (!stats.isDirectory()) {
    await unlinkIfPresent(path);
    return;
  }
  if ((stats.mode & 0o700) !== 0o700) await chmod(path, (stats.mode & 0o7777) | 0o700);
  await removeChildren(path);
  await rmdir(path);
}

async function removeChildren(dir: Buffer): Promise<void> {
  const names = await readdir(dir, { encoding: 'buffer' });
  const slash = Buffer.from('/');
  for (let start = 0; start < names.length; start += REMOVE_BATCH) {
    const batch = names.slice(start, start + REMOVE_BATCH);
    await Promise.all(batch.map((name) => removeTree(Buffer.concat([dir, slash, name]))));
  }
}

async function unlinkIfPresent(path: Buffer): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error;
  }
}
