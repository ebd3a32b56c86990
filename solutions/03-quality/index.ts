// Stage 3's exercise pieces (see QualityPieces in stages/03-quality/src/given/).
// The stage loads this file from solutions/ (the reference) or exercises/ (--mine).
export { checkAcceptedValues } from './accepted-values.ts';
export { checkFreshness } from './freshness.ts';
export { checkNotNull } from './not-null.ts';
export { checkRelationships } from './relationships.ts';
export { checkUnique } from './unique.ts';
