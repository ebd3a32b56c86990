// Test helpers shared by every package's tests. Not used by the stages at run time.

export { type CapturedIo, captureIo } from './capture-io.ts';
export { courseCommand } from './course-command.ts';
export { type FakeTerminal, fakeTerminal, type Key } from './fake-terminal.ts';
export { type InvokeOptions, invoke } from './invoke.ts';
export { type LearnerCourse, learnerCourse } from './learner-course.ts';
export { type CliRun, runCli, runCliAsync } from './run-cli.ts';
export { type SpawnedCli, spawnCli } from './spawn-cli.ts';
export { tempDir } from './temp-dir.ts';
export { martVitestConfig } from './vitest-config.ts';
