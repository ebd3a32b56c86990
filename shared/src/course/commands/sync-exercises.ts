import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineCommand } from '../../cli/command.ts';
import { writeLine } from '../../cli/io.ts';
import { CliError } from '../../errors.ts';
import { type Exercise, loadCurriculum } from '../curriculum.ts';
import { todoVersion } from '../todo-version.ts';

export const syncExercises = defineCommand({
  description: 'Maintainers: regenerate exercises/ from solutions/ (or --check that they match).',
  options: {
    check: { type: 'boolean', description: 'Change nothing; exit 1 if any exercise file is out of date.' },
  },
  withoutMine: true,
  async run({ options, io, paths }) {
    const root = paths.root;
    const stale: string[] = [];
    for (const stage of loadCurriculum(root)) {
      const solutionDir = join(root, 'solutions', stage.dir);
      // Every file of the stage folder is mirrored: exercise files get TODO bodies,
      // the rest (types.ts, index.ts) are copied as they are.
      for (const file of readdirSync(solutionDir).filter((name) => name.endsWith('.ts'))) {
        const exercise: Pick<Exercise, 'key'> = { key: `${stage.dir}/${file.slice(0, -3)}` };
        const wanted = todoVersion(readFileSync(join(solutionDir, file), 'utf8'), exercise);
        const target = join(root, 'exercises', stage.dir, file);
        const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
        if (current === wanted) continue;
        stale.push(`exercises/${stage.dir}/${file}`);
        if (options.check) continue;
        mkdirSync(join(root, 'exercises', stage.dir), { recursive: true });
        writeFileSync(target, wanted);
      }
    }
    if (options.check && stale.length > 0) {
      throw new CliError(`These exercise files differ from their TODO versions: ${stale.join(', ')}.`, {
        hint: 'Run `pnpm exercises:sync` after changing solutions/ (it overwrites exercises/).',
      });
    }
    writeLine(io, stale.length === 0 ? 'exercises/ is up to date.' : `Wrote ${stale.join(', ')}.`);
    return 0;
  },
});
