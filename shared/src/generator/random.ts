/**
 * A small, fast, seeded pseudo-random generator (mulberry32). The same seed always
 * gives the same sequence on every machine, which is what makes generated data
 * reproducible byte for byte. Not for anything secret.
 *
 * @example
 * const random = seededRandom(42);
 * random.int(1, 6) // → the same die roll every run
 */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    /** A float in [0, 1). */
    next,
    /** A whole number from `min` to `max`, both included. */
    int: (min: number, max: number): number => min + Math.floor(next() * (max - min + 1)),
    /** One element of a non-empty array. */
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    /** True with probability `p`. */
    chance: (p: number): boolean => next() < p,
  };
}

/** What {@link seededRandom} returns. */
export type Random = ReturnType<typeof seededRandom>;
