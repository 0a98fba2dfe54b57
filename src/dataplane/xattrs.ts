import { createHash } from 'node:crypto';
import { errnoCode } from './errors.js';
import { nativeBinding, type NativeBinding } from './native.js';

/** User extended attributes (user.*) of one entry as [name, value] pairs, sorted by name bytes. */
export type XattrList = Array<[Buffer, Buffer]>;

/** The same list with names and values in base64, for JSON records. */
export type EncodedXattrs = Array<[string, string]>;

const USER_PREFIX = Buffer.from('user.');

/** errno codes that mean "this file system or entry type keeps no user attributes". */
const UNSUPPORTED = new Set(['ENOTSUP', 'EOPNOTSUPP', 'EPERM']);

/** Tells whether extended attributes are replicated, which needs the native addon. */
export function xattrsSupported(): boolean {
  return nativeBinding() !== undefined;
}

/**
 * Reads the user.* attributes of a path (a symlink itself, never its target) or an open file.
 * Returns an empty list without the addon or where the file system keeps no attributes.
 */
export function readXattrs(target: Buffer | number): XattrList {
  const native = nativeBinding();
  if (native === undefined) return [];
  let names: Buffer[];
  try {
    names = splitNames(native.listXattrs(target)).filter(isUserName);
  } catch (error) {
    if (UNSUPPORTED.has(errnoCode(error) ?? '')) return [];
    throw error;
  }
  const list: XattrList = [];
  for (const name of names.sort(Buffer.compare)) {
    const value = readValue(native, target, name);
    if (value !== undefined) list.push([name, value]);
  }
  return list;
}

/** Reads one value; undefined when the attribute was removed after the listing. */
function readValue(
  native: NativeBinding,
  target: Buffer | number,
  name: Buffer,
): Buffer | undefined {
  try {
    return native.getXattr(target, name);
  } catch (error) {
    if (errnoCode(error) === 'ENODATA') return undefined;
    throw error;
  }
}

/**
 * Makes the user.* attributes of `target` exactly `list`: sets each pair and removes other user.*
 * names. Applying the same list again changes nothing, so journal replays may repeat it.
 */
export function writeXattrs(target: Buffer | number, list: XattrList): void {
  const native = nativeBinding();
  if (native === undefined) return;
  const current = readXattrs(target);
  const wanted = new Set(list.map(([name]) => name.toString('latin1')));
  for (const [name] of current) {
    if (!wanted.has(name.toString('latin1'))) native.removeXattr(target, name);
  }
  for (const [name, value] of list) {
    const existing = current.find(([n]) => n.equals(name));
    if (existing === undefined || !existing[1].equals(value)) native.setXattr(target, name, value);
  }
}

/** Returns a 16-byte digest of a list, or undefined for an empty list. */
export function xattrDigest(list: XattrList): Buffer | undefined {
  if (list.length === 0) return undefined;
  const hash = createHash('sha256');
  for (const [name, value] of list) {
    hash.update(lengthPrefix(name.length)).update(name);
    hash.update(lengthPrefix(value.length)).update(value);
  }
  return hash.digest().subarray(0, 16);
}

/** Tells whether two optional digests are equal (both undefined counts as equal). */
export function sameDigest(a: Buffer | undefined, b: Buffer | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.equals(b);
}

export function encodeXattrs(list: XattrList): EncodedXattrs {
  return list.map(([name, value]) => [name.toString('base64'), value.toString('base64')]);
}

export function decodeXattrs(encoded: EncodedXattrs): XattrList {
  return encoded.map(([name, value]) => [
    Buffer.from(name, 'base64'),
    Buffer.from(value, 'base64'),
  ]);
}

function splitNames(raw: Buffer): Buffer[] {
  const names: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== 0) continue;
    if (i > start) names.push(Buffer.from(raw.subarray(start, i)));
    start = i + 1;
  }
  return names;
}

function isUserName(name: Buffer): boolean {
  return (
    name.length > USER_PREFIX.length && name.subarray(0, USER_PREFIX.length).equals(USER_PREFIX)
  );
}

function lengthPrefix(length: number): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(length);
  return prefix;
}
