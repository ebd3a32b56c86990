// Given code of stage 3: check shapes, the contract the exercise pieces fulfil, and
// checkResult (thresholds → outcome), which every check, yours and the runner's, ends
// with. exercises/ and solutions/ import it; it is never copied.
export {
  breaks,
  checkResult,
  defaultFail,
  describeThresholds,
  durationHours,
  errorResult,
  formatHours,
} from './check-result.ts';
export type { QualityPieces } from './pieces.ts';
export type * from './types.ts';
export { checkTypes } from './types.ts';
