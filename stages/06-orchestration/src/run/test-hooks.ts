import { existsSync } from 'node:fs';
import { type Io, UsageError, writeNote } from '@mart/shared';
import type { AssetGraph } from '../assets/asset-graph.ts';
import type { RunClock } from './clock.ts';
import type { PlannedStep } from './plan.ts';

/**
 * LESSON AND TEST HOOK: `MART_FAIL_ASSET=dbt/fct_sales` makes every attempt of that
 * asset's step fail before it starts working, as a broken model would; `dbt/fct_sales:2`
 * fails only the first 2 attempts (then the retry succeeds). Several: comma-separated.
 * It shows retries and skipped downstream assets without breaking any real file.
 */
export const failAssetVariable = 'MART_FAIL_ASSET';

/**
 * TEST-ONLY hook: `MART_TEST_HOLD_STEP=<step or asset key>[@<partition>]=<file>` makes
 * that step wait, before its first attempt (in a run covering that partition, when one is
 * given), until <file> exists (or the run is canceled), saying so on stderr. A test can then act while the run is known to be in the middle (hold its
 * locks, be canceled, be killed) instead of guessing a delay.
 */
export const holdStepVariable = 'MART_TEST_HOLD_STEP';

/** What the hooks do before an attempt: throw (a forced failure) or wait (a hold). */
export type BeforeAttempt = (
  step: PlannedStep,
  attempt: number,
  signal: AbortSignal,
  partitionKeys: readonly string[],
) => Promise<void>;

/**
 * The hooks the environment asks for, checked against the graph (a misspelt key is a
 * UsageError, not a hook that silently never fires), or undefined when none is set.
 *
 * @example
 * const beforeAttempt = testHooks(context.env, graph, context.io);
 */
export function testHooks(
  env: NodeJS.ProcessEnv,
  graph: AssetGraph,
  io: Io,
  clock?: Pick<RunClock, 'sleep'>,
): BeforeAttempt | undefined {
  const failures = parseFailures(env[failAssetVariable], graph);
  const hold = parseHold(env[holdStepVariable]);
  if (failures.size === 0 && !hold) return undefined;
  const sleep =
    clock?.sleep ??
    ((ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        // Once, and removed when the timer fires: the hold loop sleeps every 20 ms.
        const onAbort = () => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
      }));
  return async (step, attempt, signal, partitionKeys) => {
    const held =
      hold &&
      attempt === 1 &&
      (hold.key === step.key || step.assets.some((asset) => asset.key === hold.key)) &&
      (hold.partition === undefined || partitionKeys.includes(hold.partition));
    if (hold && held) {
      writeNote(io, `${holdStepVariable}: holding ${step.key} until ${hold.file} exists (test hook).`);
      while (!existsSync(hold.file)) await sleep(20, signal);
    }
    for (const asset of step.assets) {
      const times = failures.get(asset.key);
      if (times !== undefined && attempt <= times) {
        throw new Error(
          `Forced failure of ${asset.key} (attempt ${attempt}): ${failAssetVariable}=${env[failAssetVariable]} is set.`,
        );
      }
    }
  };
}

function parseFailures(value: string | undefined, graph: AssetGraph): Map<string, number> {
  const failures = new Map<string, number>();
  for (const part of (value ?? '').split(',').map((text) => text.trim())) {
    if (part === '') continue;
    const match = /^([^:]+)(?::(\d+))?$/.exec(part);
    const key = match?.[1] ?? part;
    if (!match || !graph.has(key)) {
      throw new UsageError(`${failAssetVariable}="${value}": "${key}" is not an asset.`, {
        hint: `Write asset keys, each optionally with how many attempts fail (${failAssetVariable}=dbt/fct_sales:1); \`pnpm stage 6 assets\` lists the keys.`,
      });
    }
    failures.set(key, match[2] === undefined ? Number.POSITIVE_INFINITY : Number(match[2]));
  }
  return failures;
}

function parseHold(
  value: string | undefined,
): { key: string; partition: string | undefined; file: string } | undefined {
  if (!value) return undefined;
  const at = value.indexOf('=');
  if (at <= 0) throw new UsageError(`${holdStepVariable}="${value}" is not <step>[@<partition>]=<file>.`);
  const [key = '', partition] = value.slice(0, at).split('@');
  return { key, partition, file: value.slice(at + 1) };
}
