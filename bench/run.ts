// Runs the benchmarks: node --import tsx bench/run.ts [options]
//   --only a,b         scenarios to run (a: initial copy, b: 1% of 100k files changed,
//                      c: 500k files unchanged, d: 1 MiB of a 2 GiB file changed,
//                      e: peak memory with 1M files); default all
//   --cache warm|cold  page cache before each measured command (default warm)
//   --dir DIR          scratch directory; default a new one under the OS temp directory
//   --scale N          multiply file counts and sizes (default 1, the size the goals are for)
//   --engine-ref REF   benchmark the engine of a git commit instead of the working tree
//   --no-verify        skip the rsync dry run that checks each scpfs replica
//   --write-doc        replace the generated section of docs/benchmarks.md with the results
// Results also go to .bench/results.json and .bench/results.md.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CacheMode } from './measure.js';
import { timed } from './measure.js';
import { formatMarkdown, formatTable, machineInfo, type BenchReport } from './report.js';
import { SCENARIOS, type Scenario, type ScenarioResult } from './scenarios.js';
import { removeTree, type BenchContext } from './tools.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const OUTPUT_DIR = path.join(REPO, '.bench');
const DOC = path.join(REPO, 'docs', 'benchmarks.md');
const DOC_START = '<!-- bench:results:start -->';
const DOC_END = '<!-- bench:results:end -->';

interface Options {
  only: string[];
  cache: CacheMode;
  dir: string | undefined;
  scale: number;
  engineRef: string | undefined;
  verify: boolean;
  writeDoc: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      cache: { type: 'string', default: 'warm' },
      dir: { type: 'string' },
      scale: { type: 'string', default: '1' },
      'engine-ref': { type: 'string' },
      'no-verify': { type: 'boolean', default: false },
      'write-doc': { type: 'boolean', default: false },
    },
  });
  const known = SCENARIOS.map((s) => s.id);
  const only = values.only?.split(',').map((id) => id.trim()) ?? known;
  const unknown = only.filter((id) => !known.includes(id));
  if (unknown.length > 0)
    throw new Error(
      `unknown scenario ${unknown.join(', ')} in --only; expected some of ${known.join(', ')}`,
    );
  if (values.cache !== 'warm' && values.cache !== 'cold') {
    throw new Error(`--cache must be warm or cold, got ${values.cache}`);
  }
  const scale = Number(values.scale);
  if (!(scale > 0)) throw new Error(`--scale must be a positive number, got ${values.scale}`);
  return {
    only,
    cache: values.cache,
    dir: values.dir,
    scale,
    engineRef: values['engine-ref'],
    verify: !values['no-verify'],
    writeDoc: values['write-doc'],
  };
}

/**
 * Extracts `src/` of a git commit next to a copy of the current engine-run.ts, so that the bundle
 * measures that commit's engine. Returns the entry point to bundle.
 */
function extractEngineSources(engineRef: string, tree: string): string {
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(path.join(tree, 'bench'), { recursive: true });
  const archive = execFileSync('git', ['-C', REPO, 'archive', engineRef, 'src']);
  execFileSync('tar', ['-x', '-C', tree], { input: archive });
  const entry = path.join(tree, 'bench', 'engine-run.ts');
  copyFileSync(path.join(REPO, 'bench', 'engine-run.ts'), entry);
  return entry;
}

/**
 * Bundles bench/engine-run.ts with esbuild (installed with tsx) into .bench/, so that the
 * measured process loads plain JavaScript. With a git ref, the engine comes from that commit.
 */
function bundleEngine(engineRef: string | undefined): string {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const tree = path.join(OUTPUT_DIR, 'engine-src');
  const entry =
    engineRef === undefined
      ? path.join(REPO, 'bench', 'engine-run.ts')
      : extractEngineSources(engineRef, tree);
  // Two levels below the repository root, like src/dataplane, because the engine loads its
  // native addon from ../../build/Release relative to its own module.
  const outfile = path.join(OUTPUT_DIR, 'engine', 'engine-run.mjs');
  const esbuild = path.join(REPO, 'node_modules', '.bin', 'esbuild');
  const args = [entry, '--bundle', '--platform=node', '--format=esm', '--packages=external'];
  try {
    execFileSync(esbuild, [...args, `--outfile=${outfile}`, '--log-level=warning'], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
  return outfile;
}

function git(...args: string[]): string {
  return execFileSync('git', ['-C', REPO, ...args], { encoding: 'utf8' }).trim();
}

/** Names the working tree's engine: HEAD, and whether src/ has uncommitted changes. */
function describeWorkingTree(): string {
  const modified = git('status', '--porcelain', '--', 'src') !== '';
  return `working tree on ${git('rev-parse', '--short', 'HEAD')}${modified ? ' with uncommitted src changes' : ''}`;
}

async function runAndRemove(scenario: Scenario, ctx: BenchContext) {
  try {
    return await scenario.run(ctx);
  } finally {
    await removeTree(ctx.dir);
  }
}

async function runScenarios(options: Options, engineScript: string): Promise<ScenarioResult[]> {
  const scratch = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'scpfs-bench-'));
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of SCENARIOS.filter((s) => options.only.includes(s.id))) {
      const dir = path.join(scratch, scenario.id);
      mkdirSync(dir, { recursive: true });
      const ctx: BenchContext = {
        dir,
        cache: options.cache,
        engineScript,
        verify: options.verify,
        scale: options.scale,
        log: (message) => console.log(message),
      };
      console.log(`(${scenario.id}) ${scenario.title}`);
      const { value, seconds } = await timed(() => runAndRemove(scenario, ctx));
      results.push({ ...value, durationS: seconds });
      console.log(`  scenario took ${(seconds / 60).toFixed(1)} min, deleting its trees included`);
    }
  } finally {
    if (options.dir === undefined) await removeTree(scratch);
  }
  return results;
}

function writeDoc(markdown: string): void {
  const doc = readFileSync(DOC, 'utf8');
  const start = doc.indexOf(DOC_START);
  const end = doc.indexOf(DOC_END);
  if (start < 0 || end < start)
    throw new Error(`${DOC} has no ${DOC_START} ... ${DOC_END} section`);
  const updated = `${doc.slice(0, start + DOC_START.length)}\n${markdown}\n${doc.slice(end)}`;
  writeFileSync(DOC, updated);
}

/** Converts the report for JSON output: each goal's verdict replaces its check function. */
function toJson(report: BenchReport): unknown {
  const scenarios = report.scenarios.map((s) => ({
    ...s,
    goals: s.goals.map((goal) => ({ text: goal.text, ...goal.check(s.runs) })),
  }));
  return { ...report, scenarios };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  // Resolve the ref before anything else, so that commits made during the run do not change
  // which engine is measured or how the report names it.
  const commit = options.engineRef && git('rev-parse', '--short', `${options.engineRef}^{commit}`);
  const engine = commit ? `commit ${commit}` : describeWorkingTree();
  const engineScript = bundleEngine(commit);
  const startedAt = new Date().toISOString();
  const scenarios = await runScenarios(options, engineScript);
  const report: BenchReport = {
    startedAt,
    command: ['node --import tsx bench/run.ts', ...argv].join(' '),
    cache: options.cache,
    scale: options.scale,
    engine,
    machine: machineInfo(options.dir ?? os.tmpdir()),
    scenarios,
  };
  console.log(`\n${formatTable(scenarios)}`);
  const markdown = formatMarkdown(report);
  writeFileSync(path.join(OUTPUT_DIR, 'results.json'), JSON.stringify(toJson(report), null, 2));
  writeFileSync(path.join(OUTPUT_DIR, 'results.md'), `${markdown}\n`);
  if (options.writeDoc) writeDoc(markdown);
}

await main();
