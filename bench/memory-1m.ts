// Measures peak memory (RSS) of replicateTree on a tree of many small files: a baseline run into
// an empty replica, then a run with nothing changed (which plans from the index).
//
//   npx tsx bench/memory-1m.ts [--files 1000000] [--dirs 1000] [--root /tmp/scpfs-memory]
//
// The source tree is generated once under --root and reused by later invocations with the same
// counts; the replica and work directory are recreated each time. Each run happens in a child
// process, so that its peak RSS (getrusage ru_maxrss) is its own.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { replicateTree, type RunStats } from '../src/dataplane/replicate.js';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '1000000' },
    dirs: { type: 'string', default: '1000' },
    root: { type: 'string', default: '/tmp/scpfs-memory' },
    child: { type: 'boolean', default: false },
  },
});

const files = Number(values.files);
const dirCount = Number(values.dirs);
const root = path.resolve(values.root);
const source = path.join(root, `source-${files}-${dirCount}`);
const target = path.join(root, 'target');
const work = path.join(root, 'work');

/** Every tenth file holds 100 bytes, the others are empty. */
function generateSource(): void {
  const marker = path.join(source, '.complete');
  if (existsSync(marker)) return;
  rmSync(source, { recursive: true, force: true });
  const started = performance.now();
  const content = Buffer.alloc(100, 0x61);
  for (let d = 0; d < dirCount; d++) {
    const dirPath = path.join(source, `dir-${String(d).padStart(5, '0')}`);
    mkdirSync(dirPath, { recursive: true });
    for (let f = d; f < files; f += dirCount) {
      writeFileSync(path.join(dirPath, `file-${f}.txt`), f % 10 === 0 ? content : '');
    }
  }
  writeFileSync(marker, '');
  console.log(`generated ${files} files in ${dirCount} directories in ${seconds(started)} s`);
}

async function runOnce(): Promise<void> {
  const stats: RunStats = await replicateTree({
    sourceDir: source,
    targetDir: target,
    workDir: work,
    logger: pino({ level: 'warn' }),
  });
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ peakRssMiB, ...stats, skippedSpecial: undefined }));
}

function runChild(label: string): void {
  const script = fileURLToPath(import.meta.url);
  const args = [
    '--import',
    'tsx',
    script,
    '--child',
    '--files',
    String(files),
    '--dirs',
    String(dirCount),
    '--root',
    root,
  ];
  const child = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`${label} run failed with status ${child.status}`);
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as RunStats & {
    peakRssMiB: number;
  };
  console.log(
    `${label}: peak RSS ${result.peakRssMiB.toFixed(0)} MiB, ${(result.durationMs / 1000).toFixed(1)} s, ` +
      `planner ${result.planner}, ${result.entriesScanned} entries, ${result.filesCopied} files copied, ` +
      `commit window ${result.commitWindowMs.toFixed(0)} ms`,
  );
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

if (values.child) {
  await runOnce();
} else {
  generateSource();
  rmSync(target, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  runChild('baseline');
  runChild('no change');
}
