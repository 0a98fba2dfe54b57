// Formats benchmark results as a terminal table and as the Markdown section of docs/benchmarks.md.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { durableSeconds, type ScenarioResult } from './scenarios.js';
import type { ToolRun } from './tools.js';

export interface MachineInfo {
  cpus: number;
  memoryGiB: number;
  kernel: string;
  filesystem: string;
  /** The block device's rotational flag, as the kernel reports it. */
  disk: string;
  node: string;
  rsync: string;
  cp: string;
}

export interface BenchReport {
  startedAt: string;
  command: string;
  cache: string;
  scale: number;
  engine: string;
  machine: MachineInfo;
  scenarios: ScenarioResult[];
}

function firstLine(command: string, args: string[]): string {
  try {
    const output = execFileSync(command, args, { encoding: 'utf8' });
    return output.split('\n')[0]!.trim().replace(/\s+/g, ' ');
  } catch {
    return 'unknown';
  }
}

/** Describes the machine and the file system that contains `dir`. */
export function machineInfo(dir: string): MachineInfo {
  const [fsType, device] = firstLine('findmnt', ['-no', 'FSTYPE,SOURCE', '-T', dir]).split(/\s+/);
  const deviceName = (device ?? '').replace(/^\/dev\//, '');
  const rotational = firstLine('cat', [`/sys/block/${deviceName}/queue/rotational`]);
  return {
    cpus: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    filesystem: `${fsType ?? 'unknown'} on ${device ?? 'unknown'}`,
    disk:
      rotational === '0'
        ? 'non-rotational'
        : rotational === '1'
          ? 'rotational flag set'
          : 'unknown',
    node: process.version,
    rsync: firstLine('rsync', ['--version']),
    cp: firstLine('cp', ['--version']),
  };
}

/** Durable time of an scpfs run divided by that of `reference`; empty for other tools. */
function ratioText(run: ToolRun, reference: ToolRun | undefined): string {
  if (!run.tool.startsWith('scpfs') || reference === undefined) return '';
  return `${(durableSeconds(run) / durableSeconds(reference)).toFixed(2)}×`;
}

function rsyncRun(scenario: ScenarioResult, step: string): ToolRun | undefined {
  return scenario.runs.find((r) => r.tool === 'rsync -aHAX --delete' && r.step === step);
}

function cpRun(scenario: ScenarioResult): ToolRun | undefined {
  return scenario.runs.find((r) => r.tool === 'cp -a');
}

const HEADER = [
  'scenario',
  'tool',
  'step',
  'wall s',
  '+sync s',
  'engine s',
  'peak MiB',
  'written MiB',
  'vs rsync',
  'vs cp -a',
  'rsync -n diff',
];

function rowOf(scenario: ScenarioResult, run: ToolRun): string[] {
  const m = run.measurement;
  return [
    scenario.id,
    run.tool,
    run.step,
    m.wallS.toFixed(2),
    m.syncS.toFixed(2),
    run.engineS === undefined ? '' : run.engineS.toFixed(2),
    (m.peakRssKiB / 1024).toFixed(0),
    (m.writtenBytes / 2 ** 20).toFixed(0),
    ratioText(run, rsyncRun(scenario, run.step)),
    ratioText(run, cpRun(scenario)),
    run.verifyDifferences === undefined ? '' : String(run.verifyDifferences),
  ];
}

/** Plain-text table for the terminal. */
export function formatTable(scenarios: readonly ScenarioResult[]): string {
  const rows = [HEADER, ...scenarios.flatMap((s) => s.runs.map((run) => rowOf(s, run)))];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return [...lines, '', ...goalLines(scenarios)].join('\n');
}

function goalLines(scenarios: readonly ScenarioResult[]): string[] {
  return scenarios.flatMap((s) =>
    s.goals.map((goal) => {
      const outcome = goal.check(s.runs);
      return `(${s.id}) ${goal.text}: ${outcome.met ? 'met' : 'NOT met'} (${outcome.detail})`;
    }),
  );
}

/** Range of the 1-minute load average seen before the scenario's measured commands. */
function loadText(scenario: ScenarioResult): string {
  const loads = scenario.runs.map((run) => run.measurement.loadBefore);
  const range = `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`;
  return `load average before the measured commands ${range}`;
}

function markdownRow(cells: readonly string[]): string {
  return `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
}

/** Formats the generated results section of docs/benchmarks.md. */
export function formatMarkdown(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `Measured ${report.startedAt} with \`${report.command}\` (${report.cache} cache, scale ${report.scale}, engine: ${report.engine}).`,
    '',
    `Machine: ${m.cpus} CPUs, ${m.memoryGiB} GiB RAM, ${m.kernel}, ${m.filesystem} (${m.disk}), Node ${m.node}, ${m.rsync}, ${m.cp}.`,
    '',
    markdownRow(HEADER),
    markdownRow(HEADER.map(() => '---')),
    ...report.scenarios.flatMap((s) => s.runs.map((run) => markdownRow(rowOf(s, run)))),
    '',
    'Goals:',
    '',
    ...goalLines(report.scenarios).map((line) => `- ${line}`),
    '',
    'Trees and scenario durations (generating, measuring and deleting the trees):',
    '',
    ...report.scenarios.map(
      (s) =>
        `- (${s.id}) ${s.title}: ${s.tree}; ${(s.durationS / 60).toFixed(1)} min; ${loadText(s)}`,
    ),
  ];
  return lines.join('\n');
}
