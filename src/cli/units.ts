import type { Messages } from './messages.js';

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** Formats a byte count in binary units: `512 B`, `1.5 KiB`, `3.2 GiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || Math.abs(bytes) < 1024) return `${Math.round(bytes)} B`;
  let value = bytes;
  let unit: string = 'B';
  for (const next of BYTE_UNITS) {
    if (Math.abs(value) < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${value.toFixed(1)} ${unit}`;
}

/** Formats a transfer rate in bytes per second, such as `12.5 MiB/s`. */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

const DAY_S = 86_400;
const HOUR_S = 3_600;
const MINUTE_S = 60;

/**
 * Formats whole seconds in the two largest units that are not zero, in the user's language:
 * `42 s`, `5 min 3 s`, `2 h 10 min`, `3 d 4 h` (in Korean `42초`, `2시간 10분`).
 */
export function formatDuration(seconds: number, messages: Messages): string {
  const total = Math.max(0, Math.round(seconds));
  const parts: [number, Parameters<Messages['t']>[0]][] = [
    [Math.floor(total / DAY_S), 'unit.days'],
    [Math.floor((total % DAY_S) / HOUR_S), 'unit.hours'],
    [Math.floor((total % HOUR_S) / MINUTE_S), 'unit.minutes'],
    [total % MINUTE_S, 'unit.seconds'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first === -1) return messages.t('unit.seconds', { n: 0 });
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, key]) => messages.t(key, { n }))
    .join(' ');
}

/** Formats milliseconds: tenths of a second below 10 s (`0.4 s`), else as formatDuration. */
export function formatDurationMs(ms: number, messages: Messages): string {
  if (ms < 10_000) return messages.t('unit.seconds', { n: (Math.max(0, ms) / 1000).toFixed(1) });
  return formatDuration(ms / 1000, messages);
}
