import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../errors.ts';
import { repoRoot } from '../paths.ts';
import { matchesStage } from './match-stage.ts';

const exerciseSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9-]+$/, 'exercise names are kebab-case'),
  title: z.string(),
  hint: z.string(),
  read: z.string().optional(),
  recipe: z.string(),
});

const stageSchema = z.strictObject({
  stage: z.number().int().positive(),
  dir: z.string().regex(/^\d\d-[a-z0-9-]+$/, 'stage folders look like 01-star-schema'),
  exercises: z.array(exerciseSchema).min(1),
});

const curriculumSchema = z.strictObject({ stages: z.array(stageSchema) });

/** One exercise as listed in exercises/info.yaml. */
export interface Exercise {
  /** Stage number, e.g. 1. */
  stage: number;
  /** Stage folder under exercises/, solutions/ and tests/, e.g. `01-star-schema`. */
  dir: string;
  /** File name without `.ts`, e.g. `date-dimension`. */
  name: string;
  /** `<dir>/<name>`, the id used in messages and NotImplementedError. */
  key: string;
  /** One line: what the exercise builds. */
  title: string;
  /** The nudge `pnpm hint N x` prints: the idea, and what to look up. Never a solution. */
  hint: string;
  /** Where the idea is explained, e.g. `stages/03-quality/README.md#unique`. */
  read: string | undefined;
  /** The detailed recipe `pnpm hint N x --more` prints, for when the nudge was not enough. */
  recipe: string;
}

/** One stage's exercises, in the order learners should do them. */
export interface CurriculumStage {
  stage: number;
  dir: string;
  exercises: Exercise[];
}

/**
 * Reads exercises/info.yaml: the one place that lists every stage's exercises in order
 * with their hints (like rustlings' info.toml).
 *
 * @example
 * loadCurriculum()[0]?.exercises[0]?.key // → '01-star-schema/surrogate-keys'
 */
export function loadCurriculum(root: string = repoRoot()): CurriculumStage[] {
  const file = join(root, 'exercises', 'info.yaml');
  const parsed = curriculumSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data.stages.map((stage) => ({
    stage: stage.stage,
    dir: stage.dir,
    exercises: stage.exercises.map((exercise) => ({
      ...exercise,
      hint: exercise.hint.trim(),
      read: exercise.read,
      recipe: exercise.recipe.trim(),
      stage: stage.stage,
      dir: stage.dir,
      key: `${stage.dir}/${exercise.name}`,
    })),
  }));
}

/**
 * Finds a stage by number (`3`) or folder name (`03-quality`, `quality`).
 *
 * @example
 * findCurriculumStage(loadCurriculum(), '1').dir // → '01-star-schema'
 */
export function findCurriculumStage(stages: CurriculumStage[], wanted: string): CurriculumStage {
  const found = stages.find((stage) => matchesStage(stage.stage, stage.dir, wanted));
  if (!found) {
    throw new UsageError(`No exercises for stage "${wanted}".`, {
      hint: `Stages with exercises: ${stages.map((stage) => `${stage.stage} (${stage.dir})`).join(', ')}.`,
    });
  }
  return found;
}

/**
 * Finds one exercise of a stage by name or 1-based position.
 *
 * @example
 * findExercise(stage, 'date-dimension').key // → '01-star-schema/date-dimension'
 */
export function findExercise(stage: CurriculumStage, wanted: string): Exercise {
  const byNumber = /^\d+$/.test(wanted) ? stage.exercises[Number(wanted) - 1] : undefined;
  const found = byNumber ?? stage.exercises.find((exercise) => exercise.name === wanted);
  if (!found) {
    throw new UsageError(`Stage ${stage.stage} has no exercise "${wanted}".`, {
      hint: `Its exercises: ${stage.exercises.map((exercise) => exercise.name).join(', ')}.`,
    });
  }
  return found;
}
