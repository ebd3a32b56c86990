/**
 * An attribute looked up on a name that is not defined (`{{ dbt_utils.star(...) }}`,
 * `{{ missing.attr }}`). Jinja raises here (printing an undefined name alone gives an
 * empty string); nunjucks would silently print nothing.
 */
export class UndefinedNameError extends Error {
  /** The undefined name: `dbt_utils`. */
  readonly undefinedName: string;

  constructor(name: string, isNone: boolean) {
    super(`'${name}' is ${isNone ? 'None' : 'undefined'}`);
    this.name = 'UndefinedNameError';
    this.undefinedName = name;
  }
}
