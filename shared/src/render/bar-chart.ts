import { formatCell } from './table.ts';

/** One bar of {@link renderBarChart}. */
export interface Bar {
  label: string;
  value: number;
}

/** Options for {@link renderBarChart}. */
export interface BarChartOptions {
  /** Characters for the longest bar; default 40. */
  width?: number;
}

/**
 * A horizontal bar chart in plain text, one line per bar, scaled to the largest value.
 * Eighth-blocks give sub-character resolution so small differences still show.
 *
 * @example
 * renderBarChart([{ label: '2024-01', value: 10 }, { label: '2024-02', value: 5 }], { width: 10 })
 * // 2024-01 │██████████ 10
 * // 2024-02 │█████      5
 */
export function renderBarChart(bars: Bar[], options: BarChartOptions = {}): string {
  const width = options.width ?? 40;
  const max = Math.max(0, ...bars.map((bar) => bar.value));
  const labelWidth = Math.max(0, ...bars.map((bar) => bar.label.length));
  // As in tables: when any value has a fraction, every value shows two decimals.
  const fixed = bars.some((bar) => !Number.isInteger(bar.value));
  return bars
    .map((bar) => {
      const eighths = max > 0 ? Math.round((Math.max(0, bar.value) / max) * width * 8) : 0;
      const body = '█'.repeat(Math.floor(eighths / 8)) + partialBlock(eighths % 8);
      return `${bar.label.padEnd(labelWidth)} │${body.padEnd(width)} ${formatCell(bar.value, 2, fixed)}`;
    })
    .join('\n');
}

function partialBlock(eighths: number): string {
  return eighths === 0 ? '' : (['▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths - 1] ?? '');
}
