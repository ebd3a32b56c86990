/**
 * A dbt function called from a template refused its arguments (a missing var, an
 * unsupported `adapter.dispatch`…). Thrown inside the render; the environment adds the
 * file, line and column and turns it into a CompilationError with this hint.
 */
export class JinjaCallError extends Error {
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'JinjaCallError';
    this.hint = hint;
  }
}
