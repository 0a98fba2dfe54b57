import { describe, expect, it } from 'vitest';
import { Messages } from '../src/cli/messages.js';
import { ProgressDisplay, renderProgressLine, type TransferSample } from '../src/cli/progress.js';
import { formatBytes, formatDuration, formatDurationMs, formatRate } from '../src/cli/units.js';

const en = new Messages('en');
const ko = new Messages('ko');

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [5 * 1024 ** 2, '5.0 MiB'],
    [3.25 * 1024 ** 3, '3.3 GiB'],
    [2 * 1024 ** 4, '2.0 TiB'],
  ])('formats %d', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('formats a rate per second', () => {
    expect(formatRate(2048)).toBe('2.0 KiB/s');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s', '0초'],
    [42, '42 s', '42초'],
    [60, '1 min', '1분'],
    [303, '5 min 3 s', '5분 3초'],
    [3600, '1 h', '1시간'],
    [7_830, '2 h 10 min', '2시간 10분'],
    [3 * 86_400 + 4 * 3600 + 59, '3 d 4 h', '3일 4시간'],
    [86_400 + 30, '1 d', '1일'],
  ])('formats %d s', (seconds, english, korean) => {
    expect(formatDuration(seconds, en)).toBe(english);
    expect(formatDuration(seconds, ko)).toBe(korean);
  });

  it('shows tenths below ten seconds', () => {
    expect(formatDurationMs(437, en)).toBe('0.4 s');
    expect(formatDurationMs(9_950, ko)).toBe('9.9초');
    expect(formatDurationMs(65_000, en)).toBe('1 min 5 s');
  });
});

const half: TransferSample = {
  filesDone: 5,
  filesTotal: 10,
  bytesDone: 1024 ** 2,
  bytesTotal: 2 * 1024 ** 2,
};

describe('renderProgressLine', () => {
  it('shows bar, counts and rate', () => {
    expect(renderProgressLine(half, 512 * 1024, en)).toBe(
      '[##########----------]  50%  files 5/10  1.0 MiB/2.0 MiB  512.0 KiB/s',
    );
  });

  it('leaves out an unknown rate', () => {
    expect(renderProgressLine(half, undefined, ko)).toBe(
      '[##########----------]  50%  파일 5/10  1.0 MiB/2.0 MiB',
    );
  });

  it('counts files without bytes', () => {
    const empty = { filesDone: 1, filesTotal: 4, bytesDone: 0, bytesTotal: 0 };
    expect(renderProgressLine(empty, undefined, en)).toMatch(/^\[#####-+\] {2}25%/);
  });

  it('shows zero without totals', () => {
    const none = { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 };
    expect(renderProgressLine(none, undefined, en)).toMatch(/^\[-{20}\] {3}0%/);
  });
});

function display(isTTY: boolean) {
  let text = '';
  let now = 0;
  const progress = new ProgressDisplay(
    { write: (chunk) => (text += chunk), isTTY, now: () => now },
    en,
  );
  return {
    progress,
    output: () => text,
    advance: (ms: number) => (now += ms),
  };
}

describe('ProgressDisplay', () => {
  it('redraws in place on a terminal', () => {
    const { progress, output, advance } = display(true);
    progress.update({ ...half, bytesDone: 0 });
    advance(2000);
    progress.update(half);
    progress.note('done');
    expect(output()).toBe(
      '\r[--------------------]   0%  files 5/10  0 B/2.0 MiB\x1b[K' +
        '\r[##########----------]  50%  files 5/10  1.0 MiB/2.0 MiB  512.0 KiB/s\x1b[K' +
        '\ndone\n',
    );
  });

  it('writes plain lines every ten seconds elsewhere', () => {
    const { progress, output, advance } = display(false);
    progress.update(half);
    advance(5000);
    progress.update(half);
    advance(5000);
    progress.update(half);
    progress.finish();
    const lines = output().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(output()).not.toContain('\r');
    expect(output()).not.toContain('\x1b');
  });

  it('finish without a line writes nothing', () => {
    const { progress, output } = display(true);
    progress.finish();
    expect(output()).toBe('');
  });
});
