import { writeFileSync } from 'node:fs';
import { confirm, log } from '@clack/prompts';
import { defineCommand } from '../../cli/command.ts';
import { UsageError } from '../../errors.ts';
import { answerOrUndefined } from '../../prompts/cancel.ts';
import { findCurriculumStage, findExercise, loadCurriculum } from '../curriculum.ts';
import { exerciseFiles, pristineExercise } from '../exercise-files.ts';

export const reset = defineCommand({
  description: 'Put one exercise file back to its untouched TODO state (asks first).',
  usage: '<stage> <exercise>',
  options: {
    yes: { type: 'boolean', description: 'Do not ask; reset straight away.' },
  },
  withoutMine: true,
  examples: ['pnpm reset 1 date-dimension', 'pnpm reset 1 date-dimension --yes'],
  async run({ options, positionals, io, paths }) {
    const [stageName, exerciseName] = positionals;
    if (!stageName || !exerciseName) throw new UsageError('Usage: pnpm reset <stage> <exercise>');
    const exercise = findExercise(findCurriculumStage(loadCurriculum(paths.root), stageName), exerciseName);
    const file = exerciseFiles(exercise, paths.root).mine;
    if (!options.yes) {
      const sure = answerOrUndefined(
        await confirm({
          message: `Replace exercises/${exercise.key}.ts with its TODO version? Your code in it will be lost.`,
          initialValue: false,
          input: io.input,
          output: io.output,
        }),
      );
      if (!sure) {
        log.info('Nothing changed.', { output: io.output });
        return 0;
      }
    }
    writeFileSync(file, pristineExercise(exercise, paths.root));
    log.success(`Reset exercises/${exercise.key}.ts.`, { output: io.output });
    return 0;
  },
});
