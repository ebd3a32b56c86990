import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MachineInfo } from './machine-info.ts';
import type { ScenarioResult } from './scenario-result.ts';

/** The JSON written after each `pnpm bench`; see bench/README.md for the fields. */
export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  rows: number;
  repeat: number;
  machine: MachineInfo;
  scenarios: ScenarioResult[];
}

const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));

/** Where results go without `--out`: bench/results/<start time>.json (colons swapped for file systems that refuse them). */
export function defaultResultsPath(startedAt: string): string {
  return join(resultsDir, `${startedAt.replaceAll(':', '-')}.json`);
}

/** Writes the results as pretty JSON, creating the folder; returns the absolute path. */
export function writeResults(path: string, results: BenchResults): string {
  const absolute = resolve(path);
  mkdirSync(dirname(absolute), { recursive: true });
  writeFileSync(absolute, `${JSON.stringify(results, null, 2)}\n`);
  return absolute;
}
