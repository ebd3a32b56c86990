import { NotImplementedError } from '@mart/shared';

import {
  type AssetLineageEventOptions,
  type BaseFacet,
  facetSchemaUrls,
  lineageIntegration,
  lineageProgrammingLanguage,
  openLineageSchemaUrl,
  type RunEvent,
} from '@mart/stage-06-orchestration/given';

/**
 * Exercise: One OpenLineage event for an asset materialization.
 *
 * Every asset step of a run sends two OpenLineage run events: one when it starts and
 * one when it ends. Each is the asset's own little run (its `runId`), of the asset's
 * job (`job`), pointing at the orchestrator's run through the `parent` facet. Build
 * that event (`RunEvent`, OpenLineage 2-0-2):
 *
 * - `eventType` from the step's status: STARTED → `START`, SUCCESS → `COMPLETE`,
 *   FAILURE → `FAIL`, CANCELED → `ABORT`;
 * - `eventTime`, `producer` as given; `schemaURL` = `openLineageSchemaUrl`;
 * - `run`: `{ runId, facets }` with the `parent` facet `{ run: { runId }, job: { namespace,
 *   name } }` of `options.parent`, and, only when the step FAILED with an
 *   `errorMessage`, the `errorMessage` facet `{ message, programmingLanguage:
 *   lineageProgrammingLanguage }`;
 * - `job`: `options.job` with the `jobType` facet `{ processingType: 'BATCH',
 *   integration: lineageIntegration, jobType: 'ASSET' }` and, when `sql` is given,
 *   the `sql` facet `{ query: sql }`;
 * - `inputs`: the given input datasets as they are; `outputs`: the given outputs,
 *   each with, only on COMPLETE and when `rowCount` is given, `outputFacets:
 *   { outputStatistics: { rowCount } }` (an output-only facet: not in `facets`);
 * - every facet you build has `_producer` (= `producer`) and `_schemaURL` (its entry in
 *   `facetSchemaUrls`, under the same key as the facet).
 *
 * Check an event with `validateLineageEvent(event)` from the given code.
 *
 * @example
 * assetLineageEvent({ status: 'SUCCESS', eventTime: '2026-12-02T10:00:05.000Z',
 *   runId: '5b0e…', job: { namespace: 'mini-data-mart', name: 'dbt/marts/fct_sales' },
 *   parent: { runId: '1c9e…', job: { namespace: 'mini-data-mart', name: 'materialize' } },
 *   inputs: [stgSales], outputs: [fctSales], sql: 'select …', rowCount: 120, producer })
 * // → { eventType: 'COMPLETE', …, run: { runId: '5b0e…', facets: { parent: { _producer, _schemaURL, run: { runId: '1c9e…' }, job: … } } },
 * //     job: { …, facets: { jobType: { …, jobType: 'ASSET' }, sql: { …, query: 'select …' } } },
 * //     inputs: [stgSales], outputs: [{ ...fctSales, outputFacets: { outputStatistics: { …, rowCount: 120 } } }] }
 */
export function assetLineageEvent(options: AssetLineageEventOptions): RunEvent {
  throw new NotImplementedError('06-orchestration/lineage-event');
}
