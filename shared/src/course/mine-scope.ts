import { UsageError } from '../errors.ts';

/**
 * Whose exercise pieces a command runs. `--mine` means the pieces of the stage being run
 * (a learner who starts at stage 3 has not written stage 2's); `--mine=all` every
 * stage's; `--mine=2,3` the stages listed. Without the flag, the reference pieces run.
 *
 * The pieces loaders ask {@link MineScope.covers} for their stage, and the scope
 * remembers the answers, so the command can say afterwards whose pieces ran.
 *
 * @example
 * const mine = MineScope.parse('stage', 3);
 * mine.covers(3, '03-quality') // → true
 * mine.covers(2, '02-csv-loads') // → false
 * mine.summary() // → 'Pieces: yours for stage 3 (exercises/03-quality/); the reference for stage 2.'
 */
export class MineScope {
  readonly #stages: 'all' | ReadonlySet<number>;
  readonly #used = new Map<number, { dir: string; mine: boolean }>();

  private constructor(stages: 'all' | ReadonlySet<number>) {
    this.#stages = stages;
  }

  /** The reference pieces everywhere (no `--mine`). */
  static none(): MineScope {
    return new MineScope(new Set());
  }

  /** Every stage's pieces are the learner's (`--mine=all`). */
  static all(): MineScope {
    return new MineScope('all');
  }

  /** The learner's pieces for exactly these stages. */
  static of(...stages: number[]): MineScope {
    return new MineScope(new Set(stages));
  }

  /**
   * Reads the value of `--mine`: `stage` (the bare flag: the running stage), `all`, or
   * stage numbers separated by commas. `undefined` means the flag was not given.
   */
  static parse(value: string | undefined, runningStage: number | undefined): MineScope {
    if (value === undefined) return MineScope.none();
    if (value === 'all') return MineScope.all();
    if (value === 'stage') {
      if (runningStage === undefined) throw new UsageError('--mine needs a stage here: use --mine=all or --mine=1,2.');
      return MineScope.of(runningStage);
    }
    const stages = value.split(',').map((part) => Number(part.trim()));
    if (stages.length === 0 || stages.some((stage) => !Number.isInteger(stage) || stage < 1)) {
      throw new UsageError(`Invalid value "${value}" for --mine.`, {
        hint: 'Use --mine (this stage), --mine=all (every stage) or --mine=2,3 (those stages).',
      });
    }
    return MineScope.of(...stages);
  }

  /** True when any stage's pieces are the learner's. */
  get active(): boolean {
    return this.#stages === 'all' || this.#stages.size > 0;
  }

  /** Should stage `stage`'s pieces (folder `dir`) be the learner's? Remembered for {@link summary}. */
  covers(stage: number, dir: string): boolean {
    const mine = this.#stages === 'all' || this.#stages.has(stage);
    this.#used.set(stage, { dir, mine });
    return mine;
  }

  /**
   * One line saying whose pieces ran, for commands run with `--mine`; undefined when
   * the flag was not given or no pieces were loaded.
   */
  summary(): string | undefined {
    if (!this.active || this.#used.size === 0) return undefined;
    const used = [...this.#used.entries()].sort(([a], [b]) => a - b);
    const yours = used.filter(([, use]) => use.mine);
    const reference = used.filter(([, use]) => !use.mine).map(([stage]) => stage);
    const parts: string[] = [];
    if (yours.length > 0) {
      const where = yours.map(([, use]) => `exercises/${use.dir}/`).join(', ');
      parts.push(`yours for ${stageList(yours.map(([stage]) => stage))} (${where})`);
    }
    if (reference.length > 0) parts.push(`the reference for ${stageList(reference)}`);
    const extra =
      reference.length > 0 && this.#stages !== 'all' ? ' Add --mine=all to run your pieces of every stage.' : '';
    return `Pieces: ${parts.join('; ')}.${extra}`;
  }
}

function stageList(stages: number[]): string {
  return `${stages.length === 1 ? 'stage' : 'stages'} ${stages.join(', ')}`;
}
