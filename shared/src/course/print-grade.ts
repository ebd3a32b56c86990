import type { createColors } from 'picocolors';
import type { Io } from '../cli/io.ts';
import { writeLine } from '../cli/io.ts';
import { dedent } from '../render/dedent.ts';
import type { CurriculumStage } from './curriculum.ts';

type Colors = ReturnType<typeof createColors>;

import { byStage, type ExerciseResult, nextExercise } from './grade-report.ts';

/** Options for {@link printGrade}. */
export interface PrintGradeOptions {
  io: Io;
  colors: Colors;
  /** The stages graded; one stage prints every exercise, several print progress bars. */
  stages: CurriculumStage[];
  /** What was graded, for the heading: `exercises` or `solutions`. */
  track: string;
  /** One stage was asked for: list its exercises one by one instead of progress bars. */
  detailed: boolean;
}

/**
 * Prints per-exercise ✓/✗ with reasons (and, for a wrong value, what the learner's code
 * returned beside what was expected), the score, and the next exercise with the command
 * for its hint. Never the hint itself: learners ask for it (`pnpm hint`) when they want it.
 *
 * @example
 * printGrade(results, { io, colors: pc, stages: [stage1], track: 'exercises' });
 */
export function printGrade(results: ExerciseResult[], options: PrintGradeOptions): void {
  const { io, colors: c } = options;
  const one = options.detailed;
  const advised = new Set<string>();
  for (const { stage, results: stageResults } of byStage(options.stages, results)) {
    const done = stageResults.filter((result) => result.passed).length;
    if (!one) {
      writeLine(
        io,
        `Stage ${stage.stage} ${stage.dir.slice(3).padEnd(16)} ${progressBar(done, stageResults.length, c)} ${done}/${stageResults.length}`,
      );
      continue;
    }
    writeLine(io, c.bold(`Stage ${stage.stage} · ${stage.dir} · grading ${options.track}/${stage.dir}/`));
    stageResults.forEach((result, i) => {
      const mark = result.passed ? c.green('✓') : c.red('✗');
      const label = `${String(i + 1).padStart(2)}. ${result.exercise.name}`;
      const detail = result.passed ? c.dim(result.exercise.title) : c.yellow(result.reason ?? '');
      writeLine(io, `  ${mark} ${label.padEnd(28)} ${detail}`);
      // Once: one file Node refuses fails every exercise that imports it.
      if (result.advice && !advised.has(result.advice)) {
        advised.add(result.advice);
        writeLine(io, indent(result.advice, 8));
      }
      if (result.comparison) writeLine(io, indent(colourDiff(result.comparison, c), 8));
      if (result.sql) writeLine(io, c.dim(indent(`The SQL your code ran:\n${dedent(result.sql)}`, 8)));
    });
  }
  const passed = results.filter((result) => result.passed).length;
  const percent = results.length === 0 ? 0 : Math.round((passed / results.length) * 100);
  writeLine(io, '');
  writeLine(io, c.bold(`Score: ${passed}/${results.length} (${percent}%)`));
  const next = nextExercise(results);
  if (!next) {
    writeLine(io, c.green('Every graded exercise passes. Well done!'));
    return;
  }
  writeLine(io, `Next: stage ${next.exercise.stage}, ${c.bold(next.exercise.name)} — ${next.exercise.title}`);
  writeLine(io, `  File:     exercises/${next.exercise.key}.ts`);
  writeLine(io, `  Stuck?    pnpm hint ${next.exercise.stage} ${next.exercise.name}`);
  writeLine(io, `  Check it: pnpm grade ${next.exercise.stage}${one ? ' --watch' : ''}`);
}

/** `-` lines (expected) red, `+` lines (the learner's) green, like `pnpm diff`. */
function colourDiff(diff: string, c: Colors): string {
  return diff
    .split('\n')
    .map((line) => (line.startsWith('-') ? c.red(line) : line.startsWith('+') ? c.green(line) : line))
    .join('\n');
}

function indent(text: string, spaces: number): string {
  return text
    .split('\n')
    .map((line) => ' '.repeat(spaces) + line)
    .join('\n');
}

function progressBar(done: number, total: number, c: Colors): string {
  const width = 20;
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return c.green('█'.repeat(filled)) + c.dim('░'.repeat(width - filled));
}
