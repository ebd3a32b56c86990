import { log } from '@clack/prompts';
import type { CommandContext } from '@mart/shared';
import { RunStorage, runStoragePath } from '../storage/index.ts';

/**
 * Opens the run storage (data/runs/runs.db) as every stage 6 command starts, and ends
 * the runs whose process is gone (kill -9, a crash, a closed laptop): they become
 * FAILURE, their unfinished assets failed, their locks released. Says which, once.
 *
 * @example
 * const storage = openRunStorage(context);
 * try { … } finally { storage.close(); }
 */
export function openRunStorage(context: Pick<CommandContext, 'paths' | 'io'>): RunStorage {
  const storage = RunStorage.open({ path: runStoragePath(context.paths) });
  try {
    for (const dead of storage.markDeadRuns()) {
      const unfinished = dead.unfinished.length;
      log.warn(
        `Run ${dead.runId.slice(0, 8)} was left running: ${dead.reason} Marked ${dead.status}` +
          `${unfinished > 0 ? `; its ${unfinished} unfinished ${unfinished === 1 ? 'asset' : 'assets'} failed` : ''}, locks released.`,
        { output: context.io.error ?? context.io.output },
      );
    }
  } catch (error) {
    storage.close();
    throw error;
  }
  return storage;
}
