/**
 * Thrown by `{{ return(x) }}` inside a macro. The patched macro wrapper (patches.ts)
 * catches it, and the macro call evaluates to `x` itself, not its text: a macro can
 * return a list or a dict, as in dbt.
 */
export class MacroReturn {
  readonly value: unknown;
  constructor(value: unknown) {
    this.value = value;
  }
}
