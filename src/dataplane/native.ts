import { createRequire } from 'node:module';
import { getSystemErrorName } from 'node:util';
import type { Logger } from 'pino';

/**
 * The C addon in native/scpfs_native.c, built by node-gyp into build/Release on `npm ci`. Paths
 * are Buffers of raw bytes. A target is a path (symlinks not followed) or a file descriptor.
 */
export interface NativeBinding {
  utimens(path: Buffer, atimeNs: bigint, mtimeNs: bigint): void;
  futimens(fd: number, atimeNs: bigint, mtimeNs: bigint): void;
  /** Returns the attribute names, each followed by a NUL byte. */
  listXattrs(target: Buffer | number): Buffer;
  getXattr(target: Buffer | number, name: Buffer): Buffer;
  setXattr(target: Buffer | number, name: Buffer, value: Buffer): void;
  removeXattr(target: Buffer | number, name: Buffer): void;
  /** Returns the start of the next data region at or after `offset`, or -1 when there is none. */
  seekData(fd: number, offset: number): number;
  /** Returns the start of the next hole at or after `offset` (EOF counts as one), or -1. */
  seekHole(fd: number, offset: number): number;
  punchHole(fd: number, offset: number, length: number): void;
  syncfs(fd: number): void;
  /**
   * Lists a directory (not following a final symlink) and lstats its entries on the thread pool;
   * resolves with the packed records that scan-dir.ts decodes.
   */
  scanDir(path: Buffer): Promise<Buffer>;
}

/** Where the addon is built, relative to this module in both src/dataplane and dist/dataplane. */
const ADDON_PATH = '../../build/Release/scpfs_native.node';

/** Setting this environment variable to 'off' skips the addon, to exercise the fallbacks. */
const DISABLE_VARIABLE = 'SCPFS_NATIVE';

let loaded: { binding: NativeBinding | undefined; error: unknown } | undefined;
let fallbackWarned = false;

/** Returns the addon, or undefined when it is disabled, was not built or failed to load. */
export function nativeBinding(): NativeBinding | undefined {
  loaded ??= loadAddon();
  return loaded.binding;
}

function loadAddon(): { binding: NativeBinding | undefined; error: unknown } {
  if (process.env[DISABLE_VARIABLE] === 'off') {
    return { binding: undefined, error: new Error(`${DISABLE_VARIABLE}=off is set`) };
  }
  try {
    const raw = createRequire(import.meta.url)(ADDON_PATH) as NativeBinding;
    return { binding: withErrnoCodes(raw), error: undefined };
  } catch (error) {
    return { binding: undefined, error };
  }
}

/**
 * Logs, once per process, that the addon is missing and what the engine does without it:
 * mtimes rounded to the microsecond, no extended attributes, holes found by scanning for zeros.
 */
export function warnIfNativeMissing(logger: Logger): void {
  if (nativeBinding() !== undefined || fallbackWarned) return;
  fallbackWarned = true;
  logger.warn(
    { err: loaded?.error },
    'Native addon not loaded (run npm rebuild); replicating mtimes to the microsecond, ' +
      'without extended attributes, and finding holes by scanning for zero bytes',
  );
}

/** Wraps each function so that its errors carry `code` (such as 'ENOENT'), as fs errors do. */
function withErrnoCodes(raw: NativeBinding): NativeBinding {
  const wrapped: Record<string, unknown> = {};
  // napi_define_properties makes the functions non-enumerable, so Object.entries misses them.
  for (const name of Object.getOwnPropertyNames(raw)) {
    const fn = (raw as unknown as Record<string, unknown>)[name];
    if (typeof fn !== 'function') continue;
    wrapped[name] = (...args: unknown[]) => {
      try {
        const result = (fn as (...a: unknown[]) => unknown)(...args);
        if (!(result instanceof Promise)) return result;
        return result.catch((error: unknown) => {
          throw withCode(error);
        });
      } catch (error) {
        throw withCode(error);
      }
    };
  }
  return wrapped as unknown as NativeBinding;
}

function withCode(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const errno = (error as { errno?: unknown }).errno;
  if (typeof errno === 'number') {
    (error as { code?: string }).code = getSystemErrorName(-errno);
  }
  return error;
}
