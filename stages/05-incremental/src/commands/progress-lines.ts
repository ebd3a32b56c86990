import { countOf } from '@mart/shared';
import type { ManifestNode } from '../manifest/types.ts';
import type { NodeResult, NodeStatus } from '../run/types.ts';

/** dbt's words for a finished node: OK, PASS, WARN, FAIL, ERROR, SKIP. */
export function statusWord(status: NodeStatus): string {
  const words: Record<NodeStatus, string> = {
    success: 'OK',
    pass: 'PASS',
    warn: 'WARN',
    fail: 'FAIL',
    error: 'ERROR',
    skipped: 'SKIP',
    'partial success': 'PARTIAL',
  };
  return words[status];
}

/** `incremental model main.stg_sales`, `seed main.region_targets`, `test unique_stg_stores_store_id`. */
export function describeNode(node: ManifestNode): string {
  if (node.resourceType === 'test') return `test ${node.name}`;
  const where = `${node.relation.schema}.${node.relation.identifier}`;
  if (node.resourceType === 'model') {
    const strategy = node.config.materialized === 'incremental' ? (node.config.incremental_strategy ?? '') : '';
    return `${strategy ? `${strategy} ` : ''}${String(node.config.materialized)} model ${where}`;
  }
  return `${node.resourceType} ${where}`;
}

/** What a node did, in the brackets after its line: `MERGE 12 rows in 0.05s`, `3 failures`, why it was skipped. */
export function describeOutcome(result: NodeResult): string {
  const time = `${result.executionTime.toFixed(2)}s`;
  if (result.status === 'skipped') return firstLine(result.message) ?? 'skipped';
  if (result.status === 'error') return `ERROR in ${time}`;
  if (result.node.resourceType === 'test') {
    return result.status === 'pass' ? `PASS in ${time}` : `${countOf(result.failures ?? 0, 'failing row')} in ${time}`;
  }
  const rows = result.rowsAffected === null ? '' : `${countOf(result.rowsAffected, 'row')} `;
  const batches = result.batchResults
    ? `${countOf(result.batchResults.successful.length + result.batchResults.failed.length, 'batch', 'batches')}${result.batchResults.failed.length > 0 ? ` (${result.batchResults.failed.length} failed)` : ''}, `
    : '';
  return `${batches}${rows}in ${time}`;
}

function firstLine(text: string | null): string | undefined {
  return text?.split('\n')[0];
}
