import type { Command } from '../../cli/command.ts';
import { writeLine } from '../../cli/io.ts';
import { UsageError } from '../../errors.ts';
import { findCurriculumStage, findExercise, loadCurriculum } from '../curriculum.ts';

export const hint: Command = {
  description: 'Show the hint for one exercise.',
  usage: '<stage> <exercise>',
  options: {},
  examples: ['pnpm hint 1 date-dimension', 'pnpm hint 1 2'],
  async run({ positionals, io }) {
    const [stageName, exerciseName] = positionals;
    if (!stageName || !exerciseName) throw new UsageError('Usage: pnpm hint <stage> <exercise>');
    const exercise = findExercise(findCurriculumStage(loadCurriculum(), stageName), exerciseName);
    writeLine(io, `${exercise.title}  (exercises/${exercise.key}.ts)\n\n${exercise.hint}`);
    return 0;
  },
};
