import { readFileSync } from 'node:fs';
import { createTwoFilesPatch } from 'diff';
import { createColors } from 'picocolors';
import { defineCommand } from '../../cli/command.ts';
import { writeLine } from '../../cli/io.ts';
import { UsageError } from '../../errors.ts';
import { findCurriculumStage, findExercise, loadCurriculum } from '../curriculum.ts';
import { exerciseFiles } from '../exercise-files.ts';

export const diff = defineCommand({
  description: 'Unified diff of exercises ↔ solutions for a stage or one exercise (for instructors).',
  usage: '<stage> [exercise]',
  withoutMine: true,
  options: {},
  examples: ['pnpm diff 1', 'pnpm diff 1 top-customers'],
  async run({ positionals, io, paths, color }) {
    const [stageName, exerciseName] = positionals;
    if (!stageName) throw new UsageError('Usage: pnpm diff <stage> [exercise]');
    const stage = findCurriculumStage(loadCurriculum(paths.root), stageName);
    const exercises = exerciseName ? [findExercise(stage, exerciseName)] : stage.exercises;
    const c = createColors(color);
    let differences = 0;
    for (const exercise of exercises) {
      const files = exerciseFiles(exercise, paths.root);
      const mine = readFileSync(files.mine, 'utf8');
      const solution = readFileSync(files.solution, 'utf8');
      if (mine === solution) continue;
      differences++;
      const patch = createTwoFilesPatch(`exercises/${exercise.key}.ts`, `solutions/${exercise.key}.ts`, mine, solution);
      // Drop the "=====" banner line the library puts first; keep the standard ---/+++ header.
      const lines = patch.split('\n').filter((line) => !/^=+$/.test(line));
      writeLine(io, lines.map((line) => colour(line, c)).join('\n'));
    }
    if (differences === 0) writeLine(io, 'No differences: the exercises match the solutions.');
    return 0;
  },
});

function colour(line: string, c: ReturnType<typeof createColors>): string {
  if (line.startsWith('+++') || line.startsWith('---')) return c.bold(line);
  if (line.startsWith('+')) return c.green(line);
  if (line.startsWith('-')) return c.red(line);
  if (line.startsWith('@@')) return c.cyan(line);
  return line;
}
