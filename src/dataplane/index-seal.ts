import { lstat, open, readFile, rename } from 'node:fs/promises';
import { errnoCode } from './errors.js';
import { currentFeatures, IndexReader, verifyIndexFile } from './replica-index.js';
import { fsyncDirectory, type WorkDirLayout } from './workdir.js';

/**
 * The seal, written after each commit: the current index's digest and the replica root's device,
 * inode and ctime at that moment. Any later change to the root's entries, mode or owner changes
 * its ctime, and a recreated root has another inode or ctime, so the index is not trusted then.
 */
interface Seal {
  index: string;
  dev: string;
  ino: string;
  ctimeNs: string;
}

/** Writes the seal for the index with digest `indexDigest` and the replica root as it is now. */
export async function writeSeal(
  layout: WorkDirLayout,
  indexDigest: string,
  targetRoot: Buffer,
  fsync: boolean,
): Promise<void> {
  const root = await lstat(targetRoot, { bigint: true });
  const seal: Seal = {
    index: indexDigest,
    dev: root.dev.toString(),
    ino: root.ino.toString(),
    ctimeNs: root.ctimeNs.toString(),
  };
  const handle = await open(layout.sealTmp, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify(seal));
    if (fsync) await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(layout.sealTmp, layout.seal);
  if (fsync) await fsyncDirectory(layout.root);
}

/**
 * Result of checking the index: a reader and the index's digest, or why the replica must be
 * compared instead.
 */
export type IndexCheck = { reader: IndexReader; digest: string } | { reason: string };

/**
 * Opens the index when it can stand in for the replica: present, intact, sealed for the replica
 * root as it is now, and written with the features the engine has now.
 * NOTE: a change deep inside the replica leaves the root's ctime alone and goes unnoticed until
 * a run with compareReplica, so only this engine may write to a replica.
 */
export async function openTrustedIndex(
  layout: WorkDirLayout,
  targetRoot: Buffer,
): Promise<IndexCheck> {
  const seal = await readSeal(layout);
  if (seal === undefined) return { reason: 'no index or seal from a completed run' };
  const root = await lstat(targetRoot, { bigint: true });
  const sameRoot =
    seal.dev === root.dev.toString() &&
    seal.ino === root.ino.toString() &&
    seal.ctimeNs === root.ctimeNs.toString();
  if (!sameRoot) return { reason: 'the replica root changed since the last commit' };
  if ((await verifyIndexFile(layout.index).catch(() => undefined)) !== seal.index) {
    return { reason: 'the index is missing, damaged or not the sealed one' };
  }
  const reader = await IndexReader.open(layout.index);
  if (reader.features === currentFeatures()) return { reader, digest: seal.index };
  await reader.close();
  return { reason: 'the index was written with other features (native addon or root)' };
}

async function readSeal(layout: WorkDirLayout): Promise<Seal | undefined> {
  try {
    const parsed = JSON.parse(await readFile(layout.seal, 'utf8')) as Partial<Seal>;
    const valid = [parsed.index, parsed.dev, parsed.ino, parsed.ctimeNs].every(
      (value) => typeof value === 'string',
    );
    return valid ? (parsed as Seal) : undefined;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT' || error instanceof SyntaxError) return undefined;
    throw error;
  }
}
