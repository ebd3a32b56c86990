import { defineCommand } from '../../cli/command.ts';
import { writeLine } from '../../cli/io.ts';
import { UsageError } from '../../errors.ts';
import { findCurriculumStage, findExercise, loadCurriculum } from '../curriculum.ts';

/**
 * `pnpm hint N x`: a nudge (the idea, what to look up, where the README explains it);
 * `--more` the detailed recipe. Two levels, like rustlings: the learner asks for as much
 * help as they need, and `pnpm grade` never hands out either unasked.
 */
export const hint = defineCommand({
  description: 'A nudge for one exercise; --more for the detailed recipe.',
  usage: '<stage> <exercise>',
  withoutMine: true,
  options: {
    more: { type: 'boolean', description: 'Show the detailed recipe instead of the nudge.' },
  },
  examples: ['pnpm hint 1 date-dimension', 'pnpm hint 1 2', 'pnpm hint 1 date-dimension --more'],
  async run({ options, positionals, io, paths }) {
    const [stageName, exerciseName] = positionals;
    if (!stageName || !exerciseName) throw new UsageError('Usage: pnpm hint <stage> <exercise> [--more]');
    const stage = findCurriculumStage(loadCurriculum(paths.root), stageName);
    const exercise = findExercise(stage, exerciseName);
    const lines = [`${exercise.title}  (exercises/${exercise.key}.ts)`, ''];
    if (options.more) {
      lines.push(exercise.recipe, '', `Check it: pnpm grade ${exercise.stage}`);
    } else {
      lines.push(exercise.hint);
      if (exercise.read) lines.push('', `Read: ${exercise.read}`);
      lines.push('', `Still stuck? pnpm hint ${exercise.stage} ${exercise.name} --more gives the recipe.`);
    }
    writeLine(io, lines.join('\n'));
    return 0;
  },
});
