import { CliError } from '@mart/shared';

/**
 * The project's refs go round in a circle, so no order can build them. Thrown by the
 * dag-order piece; the message names the cycle as dbt does.
 *
 * @example
 * throw new DagCycleError(['model.p.a', 'model.p.b', 'model.p.a']);
 * // → Found a cycle: model.p.a --> model.p.b --> model.p.a
 */
export class DagCycleError extends CliError {
  /** The nodes on the cycle, the first repeated at the end. */
  readonly cycle: readonly string[];

  constructor(cycle: readonly string[]) {
    super(`Found a cycle: ${cycle.join(' --> ')}`, {
      hint: 'A model cannot ref a model that (directly or through others) refs it. Remove one of these refs.',
    });
    this.name = 'DagCycleError';
    this.cycle = cycle;
  }
}
