import { isAbsolute, join } from 'node:path';
import { createColors } from 'picocolors';
import { defineCommand } from '../../cli/command.ts';
import { writeLine } from '../../cli/io.ts';
import { findCurriculumStage, loadCurriculum } from '../curriculum.ts';
import { gradeExercises } from '../grade-report.ts';
import { printGrade } from '../print-grade.ts';
import { runGradedTests } from '../run-graded-tests.ts';

export const grade = defineCommand({
  description: 'Run the graded tests of a stage (or all stages) against your exercises and show your score.',
  usage: '[stage]',
  options: {
    watch: { type: 'boolean', description: 'Re-grade every time you save a file.' },
    poll: { type: 'boolean', description: 'With --watch: poll for changes (for file systems that miss save events).' },
    solutions: { type: 'boolean', description: 'Grade the reference solutions instead (instructors: proves 100%).' },
    track: {
      type: 'string',
      valueName: 'DIR',
      description: 'Grade the pieces in another folder laid out like exercises/.',
    },
  },
  withoutMine: true,
  examples: ['pnpm grade 1', 'pnpm grade 1 --watch', 'pnpm grade', 'pnpm grade 1 --solutions'],
  async run({ options, positionals, io, paths, color }) {
    const root = paths.root;
    const curriculum = loadCurriculum(root);
    const stages = positionals[0] ? [findCurriculumStage(curriculum, positionals[0])] : curriculum;
    const track = options.solutions ? 'solutions' : (options.track ?? 'exercises');
    const trackDir = isAbsolute(track) ? track : track.includes('/') ? paths.resolve(track) : join(root, track);
    const colors = createColors(color);
    const exercises = stages.flatMap((stage) => stage.exercises);

    let exitCode = 1;
    await runGradedTests({
      trackDir,
      stageDirs: stages.map((stage) => stage.dir),
      watch: Boolean(options.watch),
      poll: options.poll ? true : undefined,
      onResults(results) {
        const graded = gradeExercises(exercises, results);
        if (options.watch) writeLine(io, `\n${colors.dim(`── graded at ${new Date().toLocaleTimeString()} ──`)}`);
        printGrade(graded, { io, colors, stages, track, detailed: positionals[0] !== undefined });
        if (options.watch) writeLine(io, colors.dim('Watching for changes… save a file to re-grade, q to quit.'));
        exitCode = graded.every((result) => result.passed) ? 0 : 1;
      },
    });
    return exitCode;
  },
});
