import { z } from 'zod';

/**
 * The keys the schema allows in the map at `path` of `data`, for "did you mean" on an
 * unknown key. Walks the schema the way zod walked the data: through optional values,
 * lists, maps (records) and, for a discriminated union, the option the data's
 * discriminator chose (a `not_null` check allows `column`, a `unique` one `columns`).
 * Reading the keys from the schema keeps the suggestions right when the grammar grows.
 *
 * @example
 * knownKeys(checksFileSchema, ['tables', 'dim_customer', 0], data) // → ['check', 'column', 'name', 'fail', 'warn']
 */
export function knownKeys(schema: z.ZodType, path: readonly PropertyKey[], data: unknown): string[] {
  let node: z.ZodType | undefined = resolve(schema, data);
  let value = data;
  for (const step of path) {
    value = isRecord(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[step] : undefined;
    node = node === undefined ? undefined : resolve(child(node, step), value);
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

/** The schema of `step` inside `node`. */
function child(node: z.ZodType, step: PropertyKey): z.ZodType | undefined {
  if (node instanceof z.ZodObject) return (node.shape as Record<string, z.ZodType>)[String(step)];
  if (node instanceof z.ZodArray) return node.element as z.ZodType;
  if (node instanceof z.ZodRecord) return node.valueType as z.ZodType;
  return undefined;
}

/** Optional values and unions down to the schema that judged `value`. */
function resolve(node: z.ZodType | undefined, value: unknown): z.ZodType | undefined {
  if (node instanceof z.ZodOptional || node instanceof z.ZodNullable) return resolve(node.unwrap() as z.ZodType, value);
  if (node instanceof z.ZodDiscriminatedUnion) {
    const discriminator = node.def.discriminator;
    const chosen = isRecord(value) ? value[discriminator] : undefined;
    const option = (node.options as z.ZodType[]).find(
      (candidate) =>
        candidate instanceof z.ZodObject &&
        (candidate.shape as Record<string, z.ZodType>)[discriminator] instanceof z.ZodLiteral &&
        ((candidate.shape as Record<string, z.ZodLiteral>)[discriminator] as z.ZodLiteral).values.has(
          chosen as z.core.util.Literal,
        ),
    );
    return option;
  }
  return node;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
