/** A JavaScript function a template may call. */
// biome-ignore lint/suspicious/noExplicitAny: globals are called from templates with whatever the user wrote
export type TemplateFunction = (...args: any[]) => unknown;

/** A template call's arguments: `f(1, 2, key='v')` → positional `[1, 2]`, keywords `{ key: 'v' }`. */
export interface CallArguments {
  positional: unknown[];
  keywords: Record<string, unknown>;
}

/**
 * nunjucks passes keyword arguments as a trailing object marked `__keywords: true`;
 * this separates them (a dict passed positionally has no marker, so it stays positional).
 *
 * @example
 * const { positional, keywords } = callArguments(args);
 */
export function callArguments(args: readonly unknown[]): CallArguments {
  const last = args[args.length - 1];
  if (last && typeof last === 'object' && '__keywords' in last) {
    const { __keywords: _marker, ...keywords } = last as Record<string, unknown>;
    return { positional: args.slice(0, -1), keywords };
  }
  return { positional: [...args], keywords: {} };
}

/**
 * Python-style binding: `names[i]` takes the i-th positional argument or the keyword of
 * that name, else its default.
 *
 * @example
 * bindArguments(args, ['name', 'default']) // var('x', default='d') → { name: 'x', default: 'd' }
 */
export function bindArguments(args: readonly unknown[], names: readonly string[]): Record<string, unknown> {
  const { positional, keywords } = callArguments(args);
  const out: Record<string, unknown> = { ...keywords };
  names.forEach((name, index) => {
    if (index < positional.length) out[name] = positional[index];
  });
  return out;
}
