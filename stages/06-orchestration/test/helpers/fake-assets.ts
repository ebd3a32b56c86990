import { MartPaths, MineScope } from '@mart/shared';
import { AssetGraph } from '../../src/assets/asset-graph.ts';
import { type AssetOptions, defineAsset, type MaterializeContext } from '../../src/assets/define-asset.ts';
import type { OrchestrationPieces } from '../../src/given/pieces.ts';
import { loadOrchestrationPieces } from '../../src/pieces.ts';

/** The reference pieces, loaded as the stage loads them. */
export function referencePieces(): Promise<OrchestrationPieces> {
  return loadOrchestrationPieces(MineScope.none(), new MartPaths());
}

/** What the fake assets did, in order: `start:<key>` and `end:<key>`, and how many ran at once. */
export interface Journal {
  events: string[];
  active: number;
  maxActive: number;
  contexts: MaterializeContext[];
}

export function journal(): Journal {
  return { events: [], active: 0, maxActive: 0, contexts: [] };
}

/** A few turns of the event loop: long enough for other steps to start meanwhile, no timer. */
export async function ticks(count = 3): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * An asset whose materialize records itself in the journal, yields a few times (so
 * steps overlap), then does `work` (throw to fail) and returns its result.
 */
export function fakeAsset(
  log: Journal,
  options: Omit<AssetOptions, 'materialize'> & {
    work?: (context: MaterializeContext) => Promise<{ rows?: number } | undefined> | { rows?: number } | undefined;
  },
) {
  const { work, ...definition } = options;
  return defineAsset({
    ...definition,
    materialize: async (context) => {
      log.events.push(`start:${options.key}`);
      log.contexts.push(context);
      log.active += 1;
      log.maxActive = Math.max(log.maxActive, log.active);
      try {
        await ticks();
        return (await work?.(context)) ?? { rows: 1 };
      } finally {
        log.active -= 1;
        log.events.push(`end:${options.key}`);
      }
    },
  });
}

export { AssetGraph };
