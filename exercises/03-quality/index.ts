// Stage 3's exercise pieces. The quality runner imports this module from
// @mart/solutions (reference) or @mart/exercises (--mine); the two trees mirror each other.
export { checkAcceptedValues } from './accepted-values.ts';
export {
  breaks,
  checkResult,
  defaultFail,
  describeThresholds,
  durationHours,
  errorResult,
  formatHours,
} from './check-result.ts';
export { checkFreshness } from './freshness.ts';
export { checkNotNull } from './not-null.ts';
export { checkRelationships } from './relationships.ts';
export type * from './types.ts';
export { checkTypes } from './types.ts';
export { checkUnique } from './unique.ts';
