/** Column of a table: the response field it shows and its heading. */
export interface Column {
  field: string;
  label: string;
}

/** Code point ranges that terminals draw two cells wide: Hangul, CJK, full-width forms, emoji. */
const WIDE_RANGES: readonly [number, number][] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

/** Returns how many terminal cells `text` takes, counting wide characters as two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    width += WIDE_RANGES.some(([low, high]) => code >= low && code <= high) ? 2 : 1;
  }
  return width;
}

/** Pads `text` with spaces to `width` terminal cells. */
export function padCells(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Formats one field value for text output: `-` for null or absent, arrays comma-separated. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (Array.isArray(value)) return value.map(formatValue).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Renders rows as aligned columns under a heading line, two spaces apart. */
export function renderTable(columns: readonly Column[], rows: readonly object[]): string {
  const cells = rows.map((row) =>
    columns.map((column) => formatValue((row as Record<string, unknown>)[column.field])),
  );
  const lines = [columns.map((column) => column.label), ...cells];
  const widths = columns.map((_, i) => Math.max(...lines.map((line) => displayWidth(line[i]!))));
  return lines.map((line) => joinCells(line, widths)).join('\n');
}

/** Renders label and value pairs, one per line, with the values aligned. */
export function renderKeyValues(entries: readonly [string, unknown][]): string {
  const width = Math.max(0, ...entries.map(([label]) => displayWidth(label)));
  return entries
    .map(([label, value]) => `${padCells(label, width)}  ${formatValue(value)}`)
    .join('\n');
}

function joinCells(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, i) => padCells(cell, widths[i]!))
    .join('  ')
    .trimEnd();
}
