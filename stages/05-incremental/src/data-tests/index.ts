// Data tests: generic and singular tests as queries returning failing rows.
export { runDataTest, sampleSize } from './run-data-test.ts';
export { parseThreshold, type Threshold, thresholdMet } from './thresholds.ts';
