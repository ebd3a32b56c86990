/**
 * The variants of the stage 6 scenarios: the executor with one step at a time and with
 * `pnpm stage 6 materialize`'s default of four, each against the same baseline runs.
 */
export const concurrencyVariants: readonly string[] = ['concurrency 1', 'concurrency 4'];

/** `concurrency 4` → 4; the default (4) for a run without a variant. */
export function concurrencyOf(variant: string | undefined): number {
  if (variant === undefined) return 4;
  const value = Number(variant.replace(/^concurrency /, ''));
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`Not a concurrency variant: "${variant}".`);
  return value;
}
