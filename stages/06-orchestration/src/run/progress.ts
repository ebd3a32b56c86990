import type { AssetKey } from '../given/types.ts';

/**
 * What the executor reports as it goes, for the live progress lines (one per change) and
 * for tests. `elapsedMs` counts from the run's start, on the run's clock.
 */
export type ProgressEvent =
  | { type: 'step-started'; step: string; assets: AssetKey[]; attempt: number; maxAttempts: number; elapsedMs: number }
  | {
      type: 'step-succeeded';
      step: string;
      assets: AssetKey[];
      attempt: number;
      durationMs: number;
      rows: number | undefined;
      /** Set when a blocking check failed: the step is built, but what is downstream will not run. */
      blocked: string | undefined;
      elapsedMs: number;
    }
  | {
      type: 'step-retrying';
      step: string;
      assets: AssetKey[];
      attempt: number;
      maxAttempts: number;
      error: string;
      delayMs: number;
      elapsedMs: number;
    }
  | {
      type: 'step-failed';
      step: string;
      assets: AssetKey[];
      attempts: number;
      durationMs: number;
      error: string;
      elapsedMs: number;
    }
  | { type: 'step-skipped'; step: string; assets: AssetKey[]; reason: string; elapsedMs: number }
  | {
      type: 'check-failed';
      step: string;
      asset: AssetKey;
      check: string;
      severity: 'error' | 'warn';
      blocking: boolean;
      description: string | undefined;
      elapsedMs: number;
    }
  | { type: 'run-canceling'; reason: string; elapsedMs: number };
