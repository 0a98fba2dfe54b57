/**
 * A path relative to a volume root, kept as a "binary string": one char per byte (latin1), so any
 * name bytes survive, paths sort by byte value and work as Map keys. '' is the root itself and
 * '/' separates components. Convert to a Buffer at each fs call with {@link fsPath}.
 */
export type RelPath = string;

const SLASH = Buffer.from('/');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Joins a directory's relative path and one raw entry name. */
export function childRel(parent: RelPath, name: Buffer | string): RelPath {
  const nameText = typeof name === 'string' ? name : name.toString('latin1');
  return parent === '' ? nameText : `${parent}/${nameText}`;
}

/** Returns the absolute fs path of `rel` under `root` (an absolute path as bytes). */
export function fsPath(root: Buffer, rel: RelPath): Buffer {
  if (rel === '') return root;
  return Buffer.concat([root, SLASH, Buffer.from(rel, 'latin1')]);
}

/** Returns the raw bytes of a relative path. */
export function relToBuffer(rel: RelPath): Buffer {
  return Buffer.from(rel, 'latin1');
}

/** Returns the number of components: 0 for the root, 1 for its entries. */
export function relDepth(rel: RelPath): number {
  if (rel === '') return 0;
  let depth = 1;
  for (let i = 0; i < rel.length; i++) {
    if (rel.charCodeAt(i) === 0x2f) depth++;
  }
  return depth;
}

/** Returns the parent directory of a non-root path ('' for entries of the root). */
export function parentRel(rel: RelPath): RelPath {
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? '' : rel.slice(0, slash);
}

/**
 * Renders a path for logs and error messages: UTF-8 text when the bytes are valid UTF-8,
 * otherwise the bytes with each one of 0x80 and above written as \xNN.
 */
export function displayPath(rel: RelPath): string {
  const bytes = relToBuffer(rel);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return rel.replace(/[\x80-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16)}`);
  }
}
