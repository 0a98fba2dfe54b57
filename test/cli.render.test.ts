import { describe, expect, it } from 'vitest';
import {
  displayWidth,
  formatValue,
  padCells,
  renderKeyValues,
  renderTable,
} from '../src/cli/render.js';

describe('displayWidth', () => {
  it('counts ASCII as one cell', () => {
    expect(displayWidth('abc')).toBe(3);
  });

  it('counts Hangul and CJK as two cells', () => {
    expect(displayWidth('상태')).toBe(4);
    expect(displayWidth('ID 이름')).toBe(7);
    expect(displayWidth('漢字')).toBe(4);
  });

  it('counts an emoji as two cells', () => {
    expect(displayWidth('😀')).toBe(2);
  });
});

describe('padCells', () => {
  it('pads by display width', () => {
    expect(padCells('상태', 6)).toBe('상태  ');
    expect(padCells('state', 3)).toBe('state');
  });
});

describe('formatValue', () => {
  it.each([
    [null, '-'],
    [undefined, '-'],
    [true, 'true'],
    [0, '0'],
    [['kr-east1', 'kr-west1'], 'kr-east1, kr-west1'],
    [{ a: 1 }, '{"a":1}'],
    ['text', 'text'],
  ])('formats %j', (value, expected) => {
    expect(formatValue(value)).toBe(expected);
  });
});

describe('renderTable', () => {
  const columns = [
    { field: 'id', label: 'ID' },
    { field: 'state', label: 'State' },
  ];

  it('aligns columns under headings', () => {
    const rows = [
      { id: 'v-1', state: 'available', extra: 'ignored' },
      { id: 'volume-22', state: null },
    ];
    expect(renderTable(columns, rows)).toBe(
      ['ID         State', 'v-1        available', 'volume-22  -'].join('\n'),
    );
  });

  it('aligns wide headings by cells', () => {
    const korean = [
      { field: 'id', label: 'ID' },
      { field: 'state', label: '상태' },
      { field: 'name', label: '이름' },
    ];
    const text = renderTable(korean, [{ id: 'v1', state: 'creating', name: 'a' }]);
    expect(text).toBe(['ID  상태      이름', 'v1  creating  a'].join('\n'));
  });

  it('renders only headings without rows', () => {
    expect(renderTable(columns, [])).toBe('ID  State');
  });
});

describe('renderKeyValues', () => {
  it('aligns values', () => {
    const text = renderKeyValues([
      ['ID', 'v1'],
      ['Path', '/data/v1'],
      ['Usage (bytes)', 0],
      ['Endpoint path', null],
    ]);
    expect(text).toBe(
      ['ID             v1', 'Path           /data/v1', 'Usage (bytes)  0', 'Endpoint path  -'].join(
        '\n',
      ),
    );
  });

  it('aligns Korean labels by cells', () => {
    expect(
      renderKeyValues([
        ['경로', '/x'],
        ['ID', 'v1'],
      ]),
    ).toBe('경로  /x\nID    v1');
  });
});
