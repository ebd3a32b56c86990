/**
 * The edit distance between two words, counting an insertion, a deletion, a
 * substitution or a swap of two neighbouring letters as one edit (the "optimal string
 * alignment" Damerau–Levenshtein distance): swapped letters are the commonest typo, so
 * `max_precent` is one edit from `max_percent`, not two.
 *
 * @example
 * editDistance('colum', 'column') // → 1
 */
export function editDistance(a: string, b: string): number {
  // rows[i][j]: edits turning the first i letters of a into the first j letters of b.
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(at(i, j), at(i - 2, j - 2) + 1);
      }
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate a typo most likely meant, or undefined when none is close: at most one
 * edit for short words, two from 6 letters, three from 9 (case is ignored). Further
 * than that, a "did you mean" guesses more than it helps.
 *
 * @example
 * closestWord('colum', ['check', 'column', 'name']) // → 'column'
 * closestWord('severity', ['check', 'column', 'name']) // → undefined
 */
export function closestWord(word: string, candidates: readonly string[]): string | undefined {
  const allowed = word.length >= 9 ? 3 : word.length >= 6 ? 2 : 1;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= allowed && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}
