import { log } from '@clack/prompts';
import type { Io } from '@mart/shared';
import type { PlannedStep } from '../run/plan.ts';
import type { ProgressEvent } from '../run/progress.ts';

/** Seconds, with two decimals below one (`0.04 s`), one above (`12.3 s`). */
export function seconds(ms: number | undefined): string {
  if (ms === undefined) return '';
  return `${(ms / 1000).toFixed(ms < 1000 ? 2 : 1)} s`;
}

/** A step for a progress line: its key, and for a multi-asset step what it builds. */
function stepLabel(step: string, assets: readonly string[]): string {
  if (assets.length === 1 && assets[0] === step) return step;
  const shown = assets.length <= 2 ? assets.join(', ') : `${assets[0]}, ${assets[1]} and ${assets.length - 2} more`;
  return `${step} (${assets.length} assets: ${shown})`;
}

/**
 * One line per change, as it happens, with the time since the run started:
 *
 *     +0.0s running  lake_ingest (6 assets: lake/bronze/customers, lake/bronze/products and 4 more)
 *     +2.1s done     lake_ingest in 2.1 s (1,234 rows)
 *     +5.3s retry    dbt/fct_sales: attempt 1 of 3 failed: Binder Error… Next attempt in 0.6 s.
 *     +6.0s failed   dbt/fct_sales after 3 attempts (1.9 s): Binder Error…
 *     +6.0s skipped  dbt/daily_revenue: upstream dbt/fct_sales failed.
 */
export function progressLine(event: ProgressEvent): { level: 'step' | 'success' | 'warn' | 'error'; text: string } {
  const at = `+${(event.elapsedMs / 1000).toFixed(1)}s`;
  const line = (word: string, rest: string) => `${at} ${word.padEnd(8)} ${rest}`;
  switch (event.type) {
    case 'step-started':
      return {
        level: 'step',
        text: line(
          'running',
          `${stepLabel(event.step, event.assets)}${event.attempt > 1 ? ` (attempt ${event.attempt} of ${event.maxAttempts})` : ''}`,
        ),
      };
    case 'step-succeeded': {
      const rows = event.rows === undefined ? '' : ` (${event.rows.toLocaleString('en-US')} rows)`;
      if (event.blocked) {
        return {
          level: 'warn',
          text: line(
            'done',
            `${event.step} in ${seconds(event.durationMs)}${rows}, but ${event.blocked}: what is built from it is skipped`,
          ),
        };
      }
      return { level: 'success', text: line('done', `${event.step} in ${seconds(event.durationMs)}${rows}`) };
    }
    case 'step-retrying':
      return {
        level: 'warn',
        text: line(
          'retry',
          `${event.step}: attempt ${event.attempt} of ${event.maxAttempts} failed: ${firstLine(event.error)} Next attempt in ${seconds(event.delayMs)}.`,
        ),
      };
    case 'step-failed':
      return {
        level: 'error',
        text: line(
          'failed',
          `${event.step}${event.attempts > 1 ? ` after ${event.attempts} attempts` : ''} (${seconds(event.durationMs)}): ${firstLine(event.error)}`,
        ),
      };
    case 'step-skipped':
      return { level: 'warn', text: line('skipped', `${event.step}: ${event.reason.replace(/^Skipped: /, '')}`) };
    case 'check-failed':
      return {
        level: event.blocking && event.severity === 'error' ? 'error' : 'warn',
        text: line(
          'check',
          `${event.check} of ${event.asset} failed (${event.severity}, ${event.blocking ? 'blocking' : 'non-blocking'})${event.description ? `: ${firstLine(event.description)}` : ''}`,
        ),
      };
    case 'run-canceling':
      return {
        level: 'warn',
        text: line('cancel', `${event.reason} No new step starts; running ones are told to stop.`),
      };
  }
}

/** Prints each event's line as it comes (clack's log, on `output`). */
export function progressPrinter(output: Io['output']): (event: ProgressEvent) => void {
  return (event) => {
    const { level, text } = progressLine(event);
    log[level](text, { output });
  };
}

/** The plan in one line: `12 steps (20 assets), 4 at a time`. */
export function planLine(steps: readonly PlannedStep[], concurrency: number): string {
  const assets = steps.reduce((sum, step) => sum + step.assets.length, 0);
  return `${steps.length} ${steps.length === 1 ? 'step' : 'steps'} (${assets} ${assets === 1 ? 'asset' : 'assets'}), up to ${concurrency} at a time`;
}

function firstLine(text: string): string {
  const first = text.split('\n').find((line) => line.trim() !== '') ?? text;
  return first.length > 240 ? `${first.slice(0, 237)}…` : first;
}
