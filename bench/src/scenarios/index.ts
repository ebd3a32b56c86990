import type { Scenario } from '../scenario.ts';
import { generate } from './generate.ts';
import { lakeRead } from './lake-read.ts';
import { lakeReadSelective } from './lake-read-selective.ts';
import { lakeReadWarm } from './lake-read-warm.ts';
import { lakeTimeTravel } from './lake-time-travel.ts';
import { lakeWrite } from './lake-write.ts';
import { stage2Build } from './stage2-build.ts';
import { stage3Quality } from './stage3-quality.ts';
import { stage5Compile } from './stage5-compile.ts';
import { stage5Incremental } from './stage5-incremental.ts';
import { stage5Overhead } from './stage5-overhead.ts';
import { stage6Overhead } from './stage6-overhead.ts';
import { stage6Pipeline } from './stage6-pipeline.ts';

/** Every benchmark, in the order `pnpm bench` runs them. Add a scenario: one file, one line here. */
export const scenarios: readonly Scenario[] = [
  generate,
  stage2Build,
  stage3Quality,
  lakeWrite,
  lakeRead,
  lakeReadWarm,
  lakeReadSelective,
  lakeTimeTravel,
  stage5Incremental,
  stage5Overhead,
  stage5Compile,
  stage6Overhead,
  stage6Pipeline,
];

/** The scenario called `name`, or undefined. */
export function findScenario(name: string): Scenario | undefined {
  return scenarios.find((scenario) => scenario.name === name);
}
