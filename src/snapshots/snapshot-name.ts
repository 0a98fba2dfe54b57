/**
 * Names a snapshot `<volume name>.<YYYY-MM-DD_HHmmss>`, the time written in `timeZone`, for
 * example `my_volume_a1b2c3.2026-01-02_000000` for 2026-01-01T15:00:00Z in Asia/Seoul.
 */
export function snapshotName(volumeName: string, at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
  const date = `${part('year')}-${part('month')}-${part('day')}`;
  return `${volumeName}.${date}_${part('hour')}${part('minute')}${part('second')}`;
}
