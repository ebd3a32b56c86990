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
  // #region solution
  const facet = <K extends keyof typeof facetSchemaUrls>(key: K): BaseFacet => ({
    _producer: options.producer,
    _schemaURL: facetSchemaUrls[key],
  });
  const eventType = eventTypes[options.status];
  const failed = eventType === 'FAIL' && options.errorMessage !== undefined;
  return {
    eventType,
    eventTime: options.eventTime,
    producer: options.producer,
    schemaURL: openLineageSchemaUrl,
    run: {
      runId: options.runId,
      facets: {
        parent: {
          ...facet('parent'),
          run: { runId: options.parent.runId },
          job: { namespace: options.parent.job.namespace, name: options.parent.job.name },
        },
        ...(failed
          ? {
              errorMessage: {
                ...facet('errorMessage'),
                message: options.errorMessage ?? '',
                programmingLanguage: lineageProgrammingLanguage,
              },
            }
          : {}),
      },
    },
    job: {
      namespace: options.job.namespace,
      name: options.job.name,
      facets: {
        jobType: { ...facet('jobType'), processingType: 'BATCH', integration: lineageIntegration, jobType: 'ASSET' },
        ...(options.sql === undefined ? {} : { sql: { ...facet('sql'), query: options.sql } }),
      },
    },
    inputs: options.inputs.map((dataset) => ({ ...dataset })),
    outputs: options.outputs.map((dataset) =>
      eventType === 'COMPLETE' && options.rowCount !== undefined
        ? {
            ...dataset,
            outputFacets: { outputStatistics: { ...facet('outputStatistics'), rowCount: options.rowCount } },
          }
        : { ...dataset },
    ),
  };
  // #endregion
}

// #region solution-only
const eventTypes = {
  STARTED: 'START',
  SUCCESS: 'COMPLETE',
  FAILURE: 'FAIL',
  CANCELED: 'ABORT',
} as const satisfies Record<AssetLineageEventOptions['status'], RunEvent['eventType']>;
// #endregion
