import type { Relation } from '../manifest/types.ts';

/**
 * A relation as Jinja sees it (what `ref()`, `source()` and `this` return): prints as
 * `"db"."schema"."identifier"`, and has dbt's attributes (`.identifier`, `.schema`,
 * `.database`, `.name`) and `.render()`.
 *
 * @example
 * String(new JinjaRelation({ database: 'wh', schema: 'main', identifier: 'orders' })) // → "wh"."main"."orders"
 */
export class JinjaRelation implements Relation {
  readonly database: string;
  readonly schema: string;
  readonly identifier: string;

  constructor(relation: Relation) {
    this.database = relation.database;
    this.schema = relation.schema;
    this.identifier = relation.identifier;
  }

  get name(): string {
    return this.identifier;
  }

  /** The quoted three-part name (dbt's `Relation.render()`). */
  render(): string {
    return [this.database, this.schema, this.identifier].map((part) => `"${part.replaceAll('"', '""')}"`).join('.');
  }

  toString(): string {
    return this.render();
  }
}

/**
 * A ref/source inside a microbatch batch: prints as the upstream filtered to the batch's
 * event-time window (dbt's `_dbt_et_filter_subq_<name>`), while `.render()` gives the
 * plain relation (dbt's opt-out).
 */
export class FilteredRelation extends JinjaRelation {
  private readonly filtered: string;

  constructor(relation: Relation, filtered: string) {
    super(relation);
    this.filtered = filtered;
  }

  override toString(): string {
    return this.filtered;
  }
}
