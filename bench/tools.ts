// The measured commands: the scpfs engine process, rsync and cp, all on local directories.
import { mkdir } from 'node:fs/promises';
import type { EngineRunOutput } from './engine-run.js';
import { measure, runCommand, type CacheMode, type Measurement } from './measure.js';

/** Settings and paths the runner passes to every scenario. */
export interface BenchContext {
  /** Scratch directory of the scenario; deleted when it ends. */
  dir: string;
  cache: CacheMode;
  /** The bundled engine-run script. */
  engineScript: string;
  /** Check each scpfs replica with an rsync dry run after it is measured. */
  verify: boolean;
  /** Multiplies file counts and sizes; 1 is the size the goals are stated for. */
  scale: number;
  log(message: string): void;
}

/** One measured command of a scenario. */
export interface ToolRun {
  /** Display name, such as `scpfs` or `rsync -aHAX --delete`. */
  tool: string;
  /** Scenario step the run measured, such as `initial copy` or `no change`. */
  step: string;
  measurement: Measurement;
  /** scpfs only: seconds inside replicateTree. */
  engineS?: number;
  /** scpfs only: files the engine copied and bytes it copied. */
  filesCopied?: number;
  bytesCopied?: number;
  /** scpfs only: lines an `rsync -aHAXn --delete -i` dry run printed for the replica. */
  verifyDifferences?: number;
}

export const RSYNC = 'rsync -aHAX --delete';
export const CP = 'cp -a';

export interface ScpfsRunOptions {
  step: string;
  /** Leave out fsync (the engine's default is to fsync staged data before the commit). */
  noFsync?: boolean;
}

/** Runs one replication of the engine in its own Node process. */
export async function runScpfs(
  ctx: BenchContext,
  dirs: { source: string; target: string; work: string },
  options: ScpfsRunOptions,
): Promise<ToolRun> {
  await mkdir(dirs.target, { recursive: true });
  await mkdir(dirs.work, { recursive: true });
  const args = [ctx.engineScript, dirs.source, dirs.target, dirs.work];
  if (options.noFsync) args.push('--no-fsync');
  const measurement = await measure(process.execPath, args, ctx.cache);
  const output = JSON.parse(measurement.stdout) as EngineRunOutput;
  const run: ToolRun = {
    tool: options.noFsync ? 'scpfs (no fsync)' : 'scpfs',
    step: options.step,
    measurement,
    engineS: output.engineMs / 1000,
    filesCopied: Number(output.stats.filesCopied),
    bytesCopied: Number(output.stats.bytesCopied),
  };
  if (ctx.verify) run.verifyDifferences = await countRsyncDifferences(dirs.source, dirs.target);
  ctx.log(describeRun(run));
  const warnings = measurement.stderr.split('\n').filter((line) => line.trim() !== '');
  for (const line of warnings) ctx.log(`    engine stderr: ${line}`);
  return run;
}

/** Runs `rsync -aHAX --delete` plus `extraArgs` from source to target. */
export async function runRsync(
  ctx: BenchContext,
  source: string,
  target: string,
  step: string,
  extraArgs: readonly string[] = [],
): Promise<ToolRun> {
  const args = ['-aHAX', '--delete', ...extraArgs, `${source}/`, `${target}/`];
  const measurement = await measure('rsync', args, ctx.cache);
  const run = { tool: [RSYNC, ...extraArgs].join(' '), step, measurement };
  ctx.log(describeRun(run));
  return run;
}

/** Runs `cp -a source target`; target must not exist. */
export async function runCp(
  ctx: BenchContext,
  source: string,
  target: string,
  step: string,
): Promise<ToolRun> {
  const measurement = await measure('cp', ['-a', '--', source, target], ctx.cache);
  const run = { tool: CP, step, measurement };
  ctx.log(describeRun(run));
  return run;
}

/** Counts what an rsync dry run would still change; 0 means rsync treats the trees as equal. */
export async function countRsyncDifferences(source: string, target: string): Promise<number> {
  const args = ['-aHAXn', '--delete', '-i', `${source}/`, `${target}/`];
  const { stdout } = await runCommand('rsync', args);
  return stdout.split('\n').filter((line) => line.trim() !== '').length;
}

export async function removeTree(dir: string): Promise<void> {
  await runCommand('rm', ['-rf', '--', dir]);
}

function describeRun(run: ToolRun): string {
  const m = run.measurement;
  const engine = run.engineS === undefined ? '' : `, engine ${run.engineS.toFixed(2)} s`;
  const verify =
    run.verifyDifferences === undefined ? '' : `, rsync dry run lists ${run.verifyDifferences}`;
  return (
    `  ${run.tool} (${run.step}): ${m.wallS.toFixed(2)} s + sync ${m.syncS.toFixed(2)} s${engine}, ` +
    `peak ${(m.peakRssKiB / 1024).toFixed(0)} MiB, written ${(m.writtenBytes / 2 ** 20).toFixed(0)} MiB${verify}, ` +
    `load ${m.loadBefore.toFixed(1)}`
  );
}
