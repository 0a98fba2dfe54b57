import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { errnoCode } from './errors.js';

/**
 * Files of one replication's private work directory. It must be on the replica's file system so
 * that staged entries move into the replica by rename.
 */
export interface WorkDirLayout {
  root: Buffer;
  /** New files, symlinks, directory trees and delta files of the current run. */
  staging: Buffer;
  /** Replica entries removed by the commit, deleted once the journal is gone. */
  trash: Buffer;
  /** The commit journal; its presence means the run is committed but maybe not fully applied. */
  journal: Buffer;
  /** The journal while it is written, before the rename that is the commit point. */
  journalTmp: Buffer;
  /** The plan and staging results of the current run (see RecordLog), deleted after it. */
  plan: Buffer;
  /** Index of the last committed version: what the replica contains, entry by entry. */
  index: Buffer;
  /** The index of the current run, made current by the commit. */
  indexNext: Buffer;
  /** Binds the index to the replica root it describes; see replica-index.ts. */
  seal: Buffer;
  sealTmp: Buffer;
}

export function workDirLayout(workDir: string): WorkDirLayout {
  const root = Buffer.from(workDir);
  const inRoot = (name: string) => Buffer.from(`${workDir}/${name}`);
  return {
    root,
    staging: inRoot('staging'),
    trash: inRoot('trash'),
    journal: inRoot('journal'),
    journalTmp: inRoot('journal.tmp'),
    plan: inRoot('plan'),
    index: inRoot('index'),
    indexNext: inRoot('index.next'),
    seal: inRoot('index.seal'),
    sealTmp: inRoot('index.seal.tmp'),
  };
}

/** Returns the path of a file inside the plan directory. */
export function planFile(layout: WorkDirLayout, name: string): Buffer {
  return Buffer.concat([layout.plan, Buffer.from(`/${name}`)]);
}

/** Tells whether an entry exists at `path`, without following a final symlink. */
export async function pathExists(path: Buffer): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
  }
}

/** Flushes a directory's entries to disk, so that renames and creations in it survive a crash. */
export async function fsyncDirectory(path: Buffer): Promise<void> {
  const handle = await open(path, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
