import type { Messages } from './messages.js';
import { formatBytes, formatRate } from './units.js';

/** Counters of a running transfer, as the status extension reports them. */
export interface TransferSample {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

const BAR_CELLS = 20;
/** Interval between two plain progress lines when stderr is not a terminal. */
export const PLAIN_LINE_INTERVAL_MS = 10_000;

/**
 * Renders one progress line: a bar by bytes (by files when there are no bytes to copy), the
 * percentage, files and bytes done of the totals, and the rate when it is known.
 */
export function renderProgressLine(
  sample: TransferSample,
  bytesPerSecond: number | undefined,
  messages: Messages,
): string {
  const fraction = completedFraction(sample);
  const filled = Math.round(fraction * BAR_CELLS);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_CELLS - filled)}]`;
  const percent = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
  const files = messages.t('progress.files', { done: sample.filesDone, total: sample.filesTotal });
  const bytes = `${formatBytes(sample.bytesDone)}/${formatBytes(sample.bytesTotal)}`;
  const rate = bytesPerSecond === undefined ? '' : `  ${formatRate(bytesPerSecond)}`;
  return `${bar} ${percent}  ${files}  ${bytes}${rate}`;
}

function completedFraction(sample: TransferSample): number {
  const [done, total] =
    sample.bytesTotal > 0
      ? [sample.bytesDone, sample.bytesTotal]
      : [sample.filesDone, sample.filesTotal];
  if (total <= 0) return 0;
  return Math.min(1, Math.max(0, done / total));
}

export interface ProgressTarget {
  write: (text: string) => void;
  /** True when the stream is a terminal, where the line is redrawn in place. */
  isTTY: boolean;
  /** Unix time in milliseconds. */
  now: () => number;
}

/**
 * Shows the progress of one transfer on stderr. On a terminal the line is redrawn in place with a
 * carriage return; elsewhere a plain line is written at most every PLAIN_LINE_INTERVAL_MS, so
 * logs and pipes get no control characters. The rate is the average since the first sample.
 */
export class ProgressDisplay {
  #first: { at: number; bytes: number } | undefined;
  #lastPlainAt = -Infinity;
  #lineOpen = false;

  constructor(
    private readonly target: ProgressTarget,
    private readonly messages: Messages,
  ) {}

  /** Shows a new sample of the transfer. */
  update(sample: TransferSample): void {
    const now = this.target.now();
    this.#first ??= { at: now, bytes: sample.bytesDone };
    const line = renderProgressLine(sample, this.#rate(now, sample.bytesDone), this.messages);
    if (this.target.isTTY) {
      // \x1b[K erases what a longer previous line left to the right.
      this.target.write(`\r${line}\x1b[K`);
      this.#lineOpen = true;
    } else if (now - this.#lastPlainAt >= PLAIN_LINE_INTERVAL_MS) {
      this.target.write(`${line}\n`);
      this.#lastPlainAt = now;
    }
  }

  /** Writes a line of text, ending the redrawn progress line first. */
  note(text: string): void {
    this.finish();
    this.target.write(`${text}\n`);
  }

  /** Ends the redrawn progress line, if one is shown. */
  finish(): void {
    if (!this.#lineOpen) return;
    this.target.write('\n');
    this.#lineOpen = false;
  }

  #rate(now: number, bytesDone: number): number | undefined {
    const first = this.#first;
    if (!first || now - first.at < 1000) return undefined;
    return ((bytesDone - first.bytes) * 1000) / (now - first.at);
  }
}
