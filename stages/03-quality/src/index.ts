// What later stages reuse from stage 3: the checks file, the runner and its report.
export { type ChecksFile, checkErrorExitCode, readChecksFile } from './checks-file/read-checks-file.ts';
export { checksOptions, parseChecksOptions } from './commands/checks-options.ts';
export { defaultChecksPath } from './default-checks.ts';
export { loadQualityPieces, type QualityPieces } from './pieces.ts';
export { problemLines, renderResults, summaryLine } from './report/render-results.ts';
export { type QualityReport, reportSchema } from './report/report-schema.ts';
export { runChecks } from './run/run-checks.ts';
export { exitCodes, type QualityRun, runQuality, worstOutcome } from './run/run-quality.ts';
export { stage } from './stage.ts';
