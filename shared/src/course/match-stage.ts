/**
 * True when `wanted` names this stage: its number (`1`, `01`), folder (`01-star-schema`)
 * or name (`star-schema`).
 *
 * @example
 * matchesStage(1, '01-star-schema', 'star-schema') // → true
 */
export function matchesStage(number: number, dir: string, wanted: string): boolean {
  return /^\d+$/.test(wanted) ? Number(wanted) === number : wanted === dir || wanted === dir.slice(3);
}
