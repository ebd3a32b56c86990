import { closest, distance } from 'fastest-levenshtein';
import type { AssetNode, Selection } from '../given/types.ts';
import { SelectionError } from './selection-error.ts';
import { spanOf } from './spans.ts';

/**
 * Refuses a selection that names something no asset has: a key (or a `key:` pattern
 * matching none), a group, kind, owner, tag or tag value. The error points at the value
 * and suggests the closest name: a misspelt key must not quietly select nothing (or,
 * under `not`, everything).
 *
 * @example
 * checkSelection(parseSelection('key:dbt/fct_sale'), graph.nodes(), 'key:dbt/fct_sale')
 * // throws SelectionError: col 5: no asset has the key "dbt/fct_sale"; did you mean "dbt/fct_sales"?
 */
export function checkSelection(selection: Selection, assets: readonly AssetNode[], text: string): void {
  const known = {
    key: assets.map((asset) => asset.key),
    group: assets.map((asset) => asset.group),
    kind: assets.flatMap((asset) => asset.kinds),
    owner: assets.flatMap((asset) => asset.owners),
  };
  const tagKeys = assets.flatMap((asset) => Object.keys(asset.tags));
  const visit = (node: Selection): void => {
    switch (node.kind) {
      case 'all':
        return;
      case 'and':
      case 'or':
        visit(node.left);
        visit(node.right);
        return;
      case 'not':
      case 'traverse':
      case 'function':
        visit(node.operand);
        return;
      case 'attribute': {
        const names = known[node.attribute];
        if (node.attribute === 'key' && node.value.includes('*')) {
          const pattern = keyPattern(node.value);
          if (names.some((key) => pattern.test(key))) return;
          fail(node, `no asset key matches "${node.value}"${suggest(node.value.replaceAll('*', ''), names)}`);
        }
        if (names.includes(node.value)) return;
        const what = node.attribute === 'key' ? 'the key' : `the ${node.attribute}`;
        fail(node, `no asset has ${what} "${node.value}"${suggest(node.value, names)}`);
        return;
      }
      case 'tag': {
        if (!tagKeys.includes(node.key)) fail(node, `no asset has the tag "${node.key}"${suggest(node.key, tagKeys)}`);
        const values = [...new Set(assets.flatMap((asset) => (node.key in asset.tags ? [asset.tags[node.key]] : [])))];
        const wanted = node.value ?? '';
        if (values.includes(wanted)) return;
        const shown = values.map((value) => (value === '' ? `tag:${node.key}` : `tag:${node.key}=${value}`));
        if (node.value === undefined) {
          fail(
            node,
            `tag:${node.key} matches only a "${node.key}" tag without a value (as in Dagster), and no asset has one; write ${shown.join(' or ')}`,
            true,
          );
        }
        fail(node, `no asset has the tag ${node.key}=${node.value}; the assets have ${shown.join(', ')}`, true);
      }
    }
  };
  const fail = (node: Selection, problem: string, atTagValue = false): never => {
    const span = spanOf(node);
    const at = atTagValue ? (span?.tagValue?.start ?? span?.value?.start) : span?.value?.start;
    const sentence = problem.endsWith('?') ? problem : `${problem}.`;
    throw SelectionError.fromIndex(at ?? span?.start ?? 0, sentence).inSelection(text);
  };
  visit(selection);
}

/** `*` matches anything (slashes too), the rest literally, the whole key (as Dagster's KeyWildCardAssetSelection). */
function keyPattern(wildcard: string): RegExp {
  const literal = wildcard.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${literal.join('.*')}$`);
}

/** `; did you mean "x"?` for the closest known name, when it is close enough to be a typo. */
function suggest(name: string, known: readonly string[]): string {
  const names = [...new Set(known)];
  if (names.length === 0) return '';
  const best = closest(name, names);
  const close = distance(name, best) <= Math.max(2, Math.floor(name.length / 3)) || best.includes(name);
  // A key's last part alone is a common slip: `fct_sales` for `dbt/fct_sales`.
  const byLastPart = names.find((candidate) => candidate.split('/').at(-1) === name);
  const pick = byLastPart ?? (close ? best : undefined);
  return pick === undefined ? '' : `; did you mean "${pick}"?`;
}
