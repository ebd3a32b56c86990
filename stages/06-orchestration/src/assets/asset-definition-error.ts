import { CliError } from '@mart/shared';

/**
 * The assets, as declared, cannot form a graph: a bad key, two assets with one key, a
 * dependency on an asset that does not exist, a cycle. The message names the assets.
 *
 * @example
 * throw new AssetDefinitionError('Asset "dbt/fct_sales" depends on "dbt/stg_sale", which is not an asset.', {
 *   hint: 'Did you mean "dbt/stg_sales"?',
 * });
 */
export class AssetDefinitionError extends CliError {
  constructor(message: string, options: { hint?: string } = {}) {
    super(message, options);
    this.name = 'AssetDefinitionError';
  }
}
