// The benchmark scenarios. Each builds its trees in ctx.dir, measures scpfs, rsync and cp on the
// same trees in the same process run, and states its goal.
import path from 'node:path';
import type { SeededRandom } from '../test/support/random.js';
import { timed } from './measure.js';
import {
  CP,
  RSYNC,
  removeTree,
  runCp,
  runRsync,
  runScpfs,
  type BenchContext,
  type ToolRun,
} from './tools.js';
import { generateTree, overwriteRange, rewriteFiles, type TreeSummary } from './trees.js';

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;
/** The goal of the memory scenario, in bytes (300 MB). */
const MEMORY_GOAL_BYTES = 300e6;
/** Bytes scenario (d) may write for its 1 MiB change: block alignment, metadata and journal. */
const CHANGED_BLOCKS_WRITE_LIMIT = 8 * MIB;

export interface GoalOutcome {
  met: boolean;
  /** The measured value behind the verdict, such as `0.82×`. */
  detail: string;
}

export interface Goal {
  text: string;
  check(runs: readonly ToolRun[]): GoalOutcome;
}

export interface ScenarioResult {
  id: string;
  title: string;
  /** Counts and sizes of the generated tree. */
  tree: string;
  runs: ToolRun[];
  goals: Goal[];
  /** Wall time of the whole scenario, tree generation and deletion included. */
  durationS: number;
}

export interface Scenario {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<Omit<ScenarioResult, 'durationS'>>;
}

function findRun(runs: readonly ToolRun[], tool: string, step: string): ToolRun {
  const found = runs.find((r) => r.tool === tool && r.step === step);
  if (found === undefined) throw new Error(`no measured run of ${tool} (${step})`);
  return found;
}

/** Wall time plus the sync after it: the time until the tool's data is on disk. */
export function durableSeconds(run: ToolRun): number {
  return run.measurement.wallS + run.measurement.syncS;
}

/** Builds the goal "scpfs (step) takes at most maxRatio times the baseline tool's durable time". */
function ratioGoal(step: string, baseline: { tool: string; step: string }, maxRatio: number): Goal {
  return {
    text: `scpfs ${step}: at most ${maxRatio}× the time of ${baseline.tool} (wall + sync)`,
    check(runs) {
      const ratio =
        durableSeconds(findRun(runs, 'scpfs', step)) /
        durableSeconds(findRun(runs, baseline.tool, baseline.step));
      return { met: ratio <= maxRatio, detail: `${ratio.toFixed(2)}×` };
    },
  };
}

function memoryGoal(tool: string, step: string): Goal {
  return {
    text: `${tool} ${step}: peak memory at most ${MEMORY_GOAL_BYTES / 1e6} MB`,
    check(runs) {
      const peakBytes = findRun(runs, tool, step).measurement.peakRssKiB * KIB;
      return { met: peakBytes <= MEMORY_GOAL_BYTES, detail: `${(peakBytes / 1e6).toFixed(0)} MB` };
    },
  };
}

function writtenGoal(step: string, limitBytes: number): Goal {
  return {
    text: `scpfs ${step}: writes at most ${limitBytes / MIB} MiB (only the changed blocks)`,
    check(runs) {
      const written = findRun(runs, 'scpfs', step).measurement.writtenBytes;
      return { met: written <= limitBytes, detail: `${(written / MIB).toFixed(1)} MiB` };
    },
  };
}

function describeTree(summary: TreeSummary): string {
  return `${summary.files} files in ${summary.directories} directories, ${(summary.bytes / GIB).toFixed(2)} GiB`;
}

function scaled(ctx: BenchContext, value: number): number {
  return Math.max(1, Math.round(value * ctx.scale));
}

/** Sizes of small files: 5% empty, 75% up to 8 KiB, 20% up to 64 KiB. */
function smallFileSize(random: SeededRandom): number {
  const r = random.next();
  if (r < 0.05) return 0;
  if (r < 0.8) return random.int(1, 8 * KIB);
  return random.int(8 * KIB, 64 * KIB);
}

async function generate(ctx: BenchContext, root: string, spec: Parameters<typeof generateTree>[1]) {
  const { value, seconds } = await timed(() => generateTree(root, spec));
  ctx.log(`  generated ${describeTree(value)} in ${seconds.toFixed(0)} s`);
  return value;
}

/** About 1.3 GiB: 30,000 small files, 300 of 1-4 MiB, two of 128 MiB, links and xattrs. */
function generateMixedTree(ctx: BenchContext, source: string): Promise<TreeSummary> {
  const large = 2;
  const medium = scaled(ctx, 300);
  const largeBytes = scaled(ctx, 128 * MIB);
  return generate(ctx, source, {
    files: scaled(ctx, 30_000) + medium + large,
    filesPerDir: 100,
    fanout: 32,
    size: (random, i) => {
      if (i < large) return largeBytes;
      if (i < large + medium) return random.int(MIB, 4 * MIB);
      return smallFileSize(random);
    },
    symlinks: 100,
    hardLinks: 20,
    xattrFiles: 50,
    emptyDirs: 10,
    seed: 1,
  });
}

/** Copies the source into a new directory with each tool, deleting each copy afterwards. */
async function measureInitialCopies(
  ctx: BenchContext,
  source: string,
  step: string,
): Promise<ToolRun[]> {
  const runs: ToolRun[] = [];
  runs.push(await runCp(ctx, source, path.join(ctx.dir, 'cp'), step));
  await removeTree(path.join(ctx.dir, 'cp'));

  runs.push(await runRsync(ctx, source, path.join(ctx.dir, 'rsync'), step));
  await removeTree(path.join(ctx.dir, 'rsync'));

  for (const noFsync of [false, true]) {
    const target = path.join(ctx.dir, 'scpfs');
    const work = path.join(ctx.dir, 'work');
    runs.push(await runScpfs(ctx, { source, target, work }, { step, noFsync }));
    await removeTree(target);
    await removeTree(work);
  }
  return runs;
}

const initialCopy: Scenario = {
  id: 'a',
  title: 'Initial copy of a mixed tree',
  async run(ctx) {
    const source = path.join(ctx.dir, 'source');
    const summary = await generateMixedTree(ctx, source);
    const step = 'initial copy';
    return {
      id: this.id,
      title: this.title,
      tree: describeTree(summary),
      runs: await measureInitialCopies(ctx, source, step),
      goals: [ratioGoal(step, { tool: CP, step }, 1.1)],
    };
  },
};

/**
 * Builds the starting point of an incremental scenario: a source tree, an rsync target made by
 * a measured `cp -a`, and an scpfs replica made by an initial run without fsync.
 */
async function prepareReplicas(
  ctx: BenchContext,
  spec: Parameters<typeof generateTree>[1],
): Promise<{ summary: TreeSummary; runs: ToolRun[]; dirs: IncrementalDirs }> {
  const dirs = {
    source: path.join(ctx.dir, 'source'),
    rsyncTarget: path.join(ctx.dir, 'rsync'),
    scpfs: {
      source: path.join(ctx.dir, 'source'),
      target: path.join(ctx.dir, 'scpfs'),
      work: path.join(ctx.dir, 'work'),
    },
  };
  const summary = await generate(ctx, dirs.source, spec);
  const runs = [
    await runCp(ctx, dirs.source, dirs.rsyncTarget, 'full copy'),
    await runScpfs(ctx, dirs.scpfs, { step: 'initial copy', noFsync: true }),
  ];
  return { summary, runs, dirs };
}

interface IncrementalDirs {
  source: string;
  rsyncTarget: string;
  scpfs: { source: string; target: string; work: string };
}

const incremental: Scenario = {
  id: 'b',
  title: 'Incremental run after changing 1% of 100,000 files',
  async run(ctx) {
    const files = scaled(ctx, 100_000);
    const prepared = await prepareReplicas(ctx, {
      files,
      filesPerDir: 100,
      fanout: 32,
      size: (random) => (random.next() < 0.05 ? 0 : random.int(1, 8 * KIB)),
      seed: 2,
    });
    const changed = Math.round(files / 100);
    await rewriteFiles(prepared.dirs.source, prepared.summary.filePaths, changed, 3);
    ctx.log(`  rewrote ${changed} files`);
    const step = `${changed} files changed`;
    const runs = [
      ...prepared.runs,
      await runScpfs(ctx, prepared.dirs.scpfs, { step }),
      await runRsync(ctx, prepared.dirs.source, prepared.dirs.rsyncTarget, step),
    ];
    return {
      id: this.id,
      title: this.title,
      tree: describeTree(prepared.summary),
      runs,
      goals: [ratioGoal(step, { tool: RSYNC, step }, 0.5)],
    };
  },
};

const noChange: Scenario = {
  id: 'c',
  title: 'Run with nothing changed on 500,000 files',
  async run(ctx) {
    const prepared = await prepareReplicas(ctx, {
      files: scaled(ctx, 500_000),
      filesPerDir: 100,
      fanout: 32,
      size: (random) => random.int(0, 2 * KIB),
      seed: 4,
    });
    const step = 'no change';
    const runs = [
      ...prepared.runs,
      await runScpfs(ctx, prepared.dirs.scpfs, { step }),
      await runRsync(ctx, prepared.dirs.source, prepared.dirs.rsyncTarget, step),
    ];
    return {
      id: this.id,
      title: this.title,
      tree: describeTree(prepared.summary),
      runs,
      goals: [ratioGoal(step, { tool: RSYNC, step }, 0.5)],
    };
  },
};

const largeFile: Scenario = {
  id: 'd',
  title: 'A 2 GiB file with 1 MiB changed in the middle',
  async run(ctx) {
    const bytes = scaled(ctx, 2 * GIB);
    const prepared = await prepareReplicas(ctx, {
      files: 1,
      filesPerDir: 1,
      fanout: 2,
      size: () => bytes,
      seed: 5,
    });
    const deltaTarget = path.join(ctx.dir, 'rsync-delta');
    await runCp(ctx, prepared.dirs.rsyncTarget, deltaTarget, 'second rsync target');
    const file = path.join(prepared.dirs.source, prepared.summary.filePaths[0]!);
    const changedBytes = Math.min(MIB, bytes);
    await overwriteRange(file, Math.floor(bytes / 2), changedBytes, 6);
    const step = '1 MiB changed';
    const runs = [
      ...prepared.runs,
      await runScpfs(ctx, prepared.dirs.scpfs, { step }),
      await runRsync(ctx, prepared.dirs.source, prepared.dirs.rsyncTarget, step),
      await runRsync(ctx, prepared.dirs.source, deltaTarget, step, [
        '--no-whole-file',
        '--inplace',
      ]),
    ];
    return {
      id: this.id,
      title: this.title,
      tree: describeTree(prepared.summary),
      runs,
      goals: [
        ratioGoal(step, { tool: RSYNC, step }, 0.2),
        writtenGoal(step, CHANGED_BLOCKS_WRITE_LIMIT),
      ],
    };
  },
};

const memory: Scenario = {
  id: 'e',
  title: 'Peak memory with 1,000,000 files',
  async run(ctx) {
    const prepared = await prepareReplicas(ctx, {
      files: scaled(ctx, 1_000_000),
      filesPerDir: 100,
      fanout: 32,
      size: (random) => random.int(0, KIB),
      seed: 7,
    });
    const step = 'no change';
    const runs = [
      ...prepared.runs,
      await runScpfs(ctx, prepared.dirs.scpfs, { step }),
      await runRsync(ctx, prepared.dirs.source, prepared.dirs.rsyncTarget, step),
    ];
    return {
      id: this.id,
      title: this.title,
      tree: describeTree(prepared.summary),
      runs,
      goals: [memoryGoal('scpfs (no fsync)', 'initial copy'), memoryGoal('scpfs', step)],
    };
  },
};

export const SCENARIOS: readonly Scenario[] = [
  initialCopy,
  incremental,
  noChange,
  largeFile,
  memory,
];
