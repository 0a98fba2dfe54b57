import { mkdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';
import { TransferError } from './errors.js';

/** The three directories of a run, as real paths. */
export interface RunRoots {
  sourceDir: string;
  targetDir: string;
  workDir: string;
}

/**
 * Resolves and checks the directories of a run: all absolute, none inside another, and workDir on
 * the replica's file system (commit renames cannot cross file systems). Creates workDir when it
 * is missing. Overlap is checked on the paths as given, before workDir is created, and again on
 * the real paths.
 */
export async function resolveRunRoots(requested: RunRoots): Promise<RunRoots> {
  for (const [name, dir] of Object.entries(requested)) {
    if (!isAbsolute(dir)) throw invalidOptions(`${name} must be an absolute path, got '${dir}'`);
  }
  assertDisjoint({
    sourceDir: resolve(requested.sourceDir),
    targetDir: resolve(requested.targetDir),
    workDir: resolve(requested.workDir),
  });
  try {
    await mkdir(requested.workDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw invalidOptions(`workDir '${requested.workDir}' cannot be created`, error);
  }
  const roots: RunRoots = {
    sourceDir: await realDirectory('sourceDir', requested.sourceDir),
    targetDir: await realDirectory('targetDir', requested.targetDir),
    workDir: await realDirectory('workDir', requested.workDir),
  };
  assertDisjoint(roots);
  await assertSameFileSystem(roots.workDir, roots.targetDir);
  return roots;
}

async function realDirectory(name: string, dir: string): Promise<string> {
  try {
    const real = await realpath(dir);
    if ((await stat(real)).isDirectory()) return real;
  } catch (error) {
    throw invalidOptions(`${name} '${dir}' is not an accessible directory`, error);
  }
  throw invalidOptions(`${name} '${dir}' is not a directory`);
}

function assertDisjoint(roots: RunRoots): void {
  const entries = Object.entries(roots);
  for (const [nameA, a] of entries) {
    for (const [nameB, b] of entries) {
      if (nameA !== nameB && (a === b || a.startsWith(b.endsWith(sep) ? b : b + sep))) {
        throw invalidOptions(`${nameA} '${a}' must not be inside or equal to ${nameB} '${b}'`);
      }
    }
  }
}

async function assertSameFileSystem(workDir: string, targetDir: string): Promise<void> {
  const [work, target] = await Promise.all([stat(workDir), stat(targetDir)]);
  if (work.dev !== target.dev) {
    throw invalidOptions(
      `workDir '${workDir}' must be on the same file system as targetDir '${targetDir}'`,
    );
  }
}

function invalidOptions(message: string, cause?: unknown): TransferError {
  return new TransferError('INVALID_OPTIONS', message, { cause });
}
