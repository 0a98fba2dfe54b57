import type { BigIntStats } from 'node:fs';
import type { IndexRecord } from './index-codec.js';
import type { FileStatus, LinkStatus } from './stage-tasks.js';
import { xattrDigest, type XattrList } from './xattrs.js';

/** The facts of a staged file that its index record needs, in JSON form. */
export interface ResultFacts {
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  size: number;
  mtimeNs: string;
  ctimeNs: string;
  dev: string;
  ino: string;
  hashes?: string;
  xattrDigest?: string;
}

/** One file task's result, written in task order for the index build. */
export interface FileResultRecord {
  seq: number;
  status: FileStatus;
  /** Undefined for 'vanished'. */
  facts?: ResultFacts;
}

/** One link task's result, written in task order. */
export interface LinkResultRecord {
  seq: number;
  status: LinkStatus;
}

export function factsOf(
  stats: BigIntStats,
  hashes: Buffer | undefined,
  xattrs: XattrList,
): ResultFacts {
  const digest = xattrDigest(xattrs);
  return {
    mode: Number(stats.mode & 0o7777n),
    uid: Number(stats.uid),
    gid: Number(stats.gid),
    nlink: Number(stats.nlink),
    size: Number(stats.size),
    mtimeNs: stats.mtimeNs.toString(),
    ctimeNs: stats.ctimeNs.toString(),
    dev: stats.dev.toString(),
    ino: stats.ino.toString(),
    hashes: hashes?.toString('base64'),
    xattrDigest: digest?.toString('base64'),
  };
}

/** Builds the file record named `name` from a result's facts. */
export function recordFromFacts(name: string, facts: ResultFacts): IndexRecord {
  const record: IndexRecord = {
    kind: 'file',
    name,
    mode: facts.mode,
    uid: facts.uid,
    gid: facts.gid,
    nlink: facts.nlink,
    size: facts.size,
    mtimeNs: BigInt(facts.mtimeNs),
    ctimeNs: BigInt(facts.ctimeNs),
    dev: BigInt(facts.dev),
    ino: BigInt(facts.ino),
  };
  if (facts.hashes !== undefined) record.hashes = Buffer.from(facts.hashes, 'base64');
  if (facts.xattrDigest !== undefined)
    record.xattrDigest = Buffer.from(facts.xattrDigest, 'base64');
  return record;
}
