import { defineCommand } from '@mart/shared';
import { materialize } from './materialize.ts';

/**
 * What `pnpm start` runs for stage 6 (it builds every stage with `build`): the same
 * command as `materialize`, whose default selection is every asset.
 */
export const build = defineCommand({
  ...materialize,
  description:
    'Materialize every asset, from the raw files to the dbt marts: `materialize` under the name `pnpm start` uses.',
});
