const NS_PER_US = 1000n;
const US_PER_S = 1_000_000n;

/**
 * Maximum difference, exclusive, between two mtimes that still counts as "unchanged" when times
 * are set through fs.utimes. Node's fs.utimes takes seconds as a double and libuv (1.46, Node 20)
 * truncates it to whole microseconds, so such a replica's mtimes are the source's rounded to the
 * nearest microsecond (see toUtimesSeconds). The engine sets nanoseconds through the native addon
 * and uses this tolerance only when the addon is missing (see times.ts).
 */
export const MTIME_TOLERANCE_NS = 1000n;

/** Tells whether two nanosecond timestamps are equal within {@link MTIME_TOLERANCE_NS}. */
export function mtimesMatch(a: bigint, b: bigint): boolean {
  const diff = a > b ? a - b : b - a;
  return diff < MTIME_TOLERANCE_NS;
}

/**
 * Converts nanoseconds since the epoch to the seconds value for fs.utimes and fs.lutimes, so that
 * the time set is `ns` rounded to the nearest microsecond (error at most 500 ns). libuv truncates
 * the nanoseconds toward zero to whole microseconds, so the value is shifted 500 ns away from
 * zero, into the middle of the wanted microsecond. The double's own rounding error (about 120 ns
 * at today's dates) then cannot cross into a neighbouring microsecond.
 *
 * The result is a numeric string because Node 20 replaces a negative number (a time before 1970)
 * with the current time, while it passes a numeric string through unchanged.
 */
export function toUtimesSeconds(ns: bigint): string {
  const totalUs = roundedDiv(ns, NS_PER_US);
  const seconds = floorDiv(totalUs, US_PER_S);
  const microseconds = totalUs - seconds * US_PER_S;
  const shiftNs = seconds < 0n ? -500 : 500;
  return String(Number(seconds) + (Number(microseconds) * 1000 + shiftNs) / 1e9);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

function roundedDiv(a: bigint, b: bigint): bigint {
  return floorDiv(a + b / 2n, b);
}
