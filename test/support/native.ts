// Extended attributes and nanosecond times for test fixtures and tree comparisons. Uses the native
// addon directly when it is built (not the engine's wrappers), and python3 for independent checks.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

interface RawBinding {
  utimens(path: Buffer, atimeNs: bigint, mtimeNs: bigint): void;
  listXattrs(path: Buffer): Buffer;
  getXattr(path: Buffer, name: Buffer): Buffer;
  setXattr(path: Buffer, name: Buffer, value: Buffer): void;
}

const binding = loadBinding();

function loadBinding(): RawBinding | undefined {
  try {
    return createRequire(import.meta.url)('../../build/Release/scpfs_native.node') as RawBinding;
  } catch {
    return undefined;
  }
}

/** Tells whether the addon is built, so that attributes can be read and written here. */
export const nativeAvailable = binding !== undefined;

/** Sets atime and mtime to the nanosecond, without following a symlink; needs the addon. */
export function setTimesNs(path: Buffer | string, atimeNs: bigint, mtimeNs: bigint): void {
  if (binding === undefined) throw new Error('The native addon is not built (npm rebuild)');
  binding.utimens(Buffer.from(path), atimeNs, mtimeNs);
}

/**
 * Returns the user.* attributes of the entry at `path` (a symlink itself), as name (latin1) to
 * value, sorted by name. Empty when the addon is not built.
 */
export function readUserXattrs(path: Buffer): Map<string, Buffer> {
  if (binding === undefined) return new Map();
  const raw = binding.listXattrs(path);
  const names = raw
    .toString('latin1')
    .split('\0')
    .filter((name) => name.startsWith('user.'))
    .sort();
  return new Map(names.map((name) => [name, binding.getXattr(path, Buffer.from(name, 'latin1'))]));
}

/** Sets one attribute; throws when the addon is not built. */
export function setUserXattr(path: Buffer | string, name: string, value: Buffer | string): void {
  if (binding === undefined) throw new Error('The native addon is not built (npm rebuild)');
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  binding.setXattr(Buffer.from(path), Buffer.from(name), bytes);
}

const PYTHON_DUMP = `
import json, os, sys
root = os.fsencode(sys.argv[1])
out = {}
for base, dirs, files in os.walk(root):
    for name in dirs + files:
        path = os.path.join(base, name)
        rel = os.path.relpath(path, root).hex()
        attrs = {n: os.getxattr(path, n, follow_symlinks=False).hex()
                 for n in os.listxattr(path, follow_symlinks=False) if n.startswith('user.')}
        if attrs:
            out[rel] = attrs
print(json.dumps(out, sort_keys=True))
`;

/**
 * Lists every entry's user.* attributes below `root` with python3, independently of the addon:
 * relative path (hex of its bytes) to attribute name to value (hex).
 */
export function dumpXattrsWithPython(root: string): Record<string, Record<string, string>> {
  const output = execFileSync('python3', ['-c', PYTHON_DUMP, root], { encoding: 'utf8' });
  return JSON.parse(output) as Record<string, Record<string, string>>;
}
