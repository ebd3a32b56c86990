import {
  type AssetLineageEventOptions,
  type Dataset,
  facetSchemaUrls,
  type RunEvent,
  validateLineageEvent,
} from '@mart/stage-06-orchestration/given';
import { assetLineageEvent } from '@mart/track/06-orchestration';
import { describe, expect, test } from 'vitest';

const producer = 'urn:mini-data-mart:stage-06-orchestration:0.1.0';
const base = { _producer: producer };
const warehouse = 'duckdb:///home/me/mini-data-mart/data/warehouse/stage-05.duckdb';

/** Datasets as the orchestrator hands them over: named, with their dataset facets built. */
const stgSales: Dataset = {
  namespace: warehouse,
  name: 'main.stg_sales',
  facets: {
    dataSource: { ...base, _schemaURL: facetSchemaUrls.dataSource, name: warehouse, uri: warehouse },
    schema: {
      ...base,
      _schemaURL: facetSchemaUrls.schema,
      fields: [
        { name: 'sale_id', type: 'VARCHAR' },
        { name: 'amount', type: 'DECIMAL(10,2)' },
      ],
    },
  },
};
const fctSales: Dataset = {
  namespace: warehouse,
  name: 'main.fct_sales',
  facets: {
    dataSource: { ...base, _schemaURL: facetSchemaUrls.dataSource, name: warehouse, uri: warehouse },
    schema: { ...base, _schemaURL: facetSchemaUrls.schema, fields: [{ name: 'revenue', type: 'DECIMAL(18,2)' }] },
  },
};

const step = (overrides: Partial<AssetLineageEventOptions> = {}): AssetLineageEventOptions => ({
  status: 'SUCCESS',
  eventTime: '2026-12-02T10:00:05.000Z',
  runId: '5b0e8f3a-9c1d-5e2f-8a3b-4c5d6e7f8091',
  job: { namespace: 'mini-data-mart', name: 'dbt/marts/fct_sales' },
  parent: { runId: '1c9e6a3e-7b2d-4f10-9a8b-0c1d2e3f4a5b', job: { namespace: 'mini-data-mart', name: 'materialize' } },
  inputs: [stgSales],
  outputs: [fctSales],
  sql: 'select sum(amount) as revenue from "stage-05"."main"."stg_sales"',
  rowCount: 120,
  producer,
  ...overrides,
});

/** The event, after checking it against OpenLineage 2-0-2 and the facet schemas. */
function validEvent(options: AssetLineageEventOptions): RunEvent {
  const event = assetLineageEvent(options);
  const { errors } = validateLineageEvent(event);
  expect(errors, 'the event does not follow the OpenLineage schemas').toEqual([]);
  return event;
}

describe('lineage-event', () => {
  test('a step that succeeded: a valid COMPLETE event with every required field', () => {
    const event = validEvent(step());
    expect(event.eventType).toBe('COMPLETE');
    expect(event.eventTime).toBe('2026-12-02T10:00:05.000Z');
    expect(event.producer).toBe(producer);
    expect(event.schemaURL).toBe('https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent');
    expect(event.run.runId).toBe('5b0e8f3a-9c1d-5e2f-8a3b-4c5d6e7f8091');
    expect({ namespace: event.job.namespace, name: event.job.name }).toEqual({
      namespace: 'mini-data-mart',
      name: 'dbt/marts/fct_sales',
    });
  });

  test('the parent facet points at the orchestrator run and its job', () => {
    const event = validEvent(step({ status: 'STARTED' }));
    expect(event.run.facets?.parent).toEqual({
      _producer: producer,
      _schemaURL: 'https://openlineage.io/spec/facets/1-0-0/ParentRunFacet.json#/$defs/ParentRunFacet',
      run: { runId: '1c9e6a3e-7b2d-4f10-9a8b-0c1d2e3f4a5b' },
      job: { namespace: 'mini-data-mart', name: 'materialize' },
    });
  });

  test('the job facets: jobType (BATCH, MINI_DATA_MART, ASSET) and the compiled SQL', () => {
    const event = validEvent(step());
    expect(event.job.facets?.jobType).toEqual({
      _producer: producer,
      _schemaURL: facetSchemaUrls.jobType,
      processingType: 'BATCH',
      integration: 'MINI_DATA_MART',
      jobType: 'ASSET',
    });
    expect(event.job.facets?.sql).toEqual({
      _producer: producer,
      _schemaURL: facetSchemaUrls.sql,
      query: 'select sum(amount) as revenue from "stage-05"."main"."stg_sales"',
    });
    // No SQL (a raw file, a lake table): no sql facet.
    const { sql: _, ...withoutSql } = step();
    expect(validEvent(withoutSql).job.facets?.sql).toBeUndefined();
  });

  test('inputs and outputs keep their names and dataset facets; the row count is an output facet', () => {
    const event = validEvent(step());
    expect(event.inputs).toEqual([stgSales]);
    expect(event.outputs).toHaveLength(1);
    expect(event.outputs[0]).toMatchObject({ namespace: warehouse, name: 'main.fct_sales', facets: fctSales.facets });
    expect(event.outputs[0]?.outputFacets?.outputStatistics).toEqual({
      _producer: producer,
      _schemaURL: facetSchemaUrls.outputStatistics,
      rowCount: 120,
    });
    expect(event.outputs[0]?.facets).toEqual(fctSales.facets);
  });

  test('a START: no statistics yet (even if a row count is passed), no error', () => {
    const event = validEvent(step({ status: 'STARTED', rowCount: 120 }));
    expect(event.eventType).toBe('START');
    expect(event.outputs[0]?.outputFacets?.outputStatistics).toBeUndefined();
    expect(event.run.facets?.errorMessage).toBeUndefined();
    expect(event.inputs).toEqual([stgSales]);
  });

  test('a failure: a FAIL event with the errorMessage facet, and no row count', () => {
    const event = validEvent(
      step({ status: 'FAILURE', rowCount: 3, errorMessage: 'Binder Error: Referenced column "amount" not found' }),
    );
    expect(event.eventType).toBe('FAIL');
    expect(event.run.facets?.errorMessage).toEqual({
      _producer: producer,
      _schemaURL: 'https://openlineage.io/spec/facets/1-0-0/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet',
      message: 'Binder Error: Referenced column "amount" not found',
      programmingLanguage: 'TypeScript',
    });
    expect(event.outputs[0]?.outputFacets?.outputStatistics).toBeUndefined();
    expect(event.run.facets?.parent?.run.runId).toBe('1c9e6a3e-7b2d-4f10-9a8b-0c1d2e3f4a5b');
  });

  test('a canceled step: ABORT', () => {
    const event = validEvent(step({ status: 'CANCELED', rowCount: undefined }));
    expect(event.eventType).toBe('ABORT');
    expect(event.run.facets?.errorMessage).toBeUndefined();
  });

  test('several inputs and outputs, every one kept in order', () => {
    const stgCustomers: Dataset = { namespace: warehouse, name: 'main.stg_customers' };
    const revenueFile: Dataset = { namespace: 'file', name: '/home/me/mini-data-mart/data/exports/revenue.csv' };
    const event = validEvent(step({ inputs: [stgSales, stgCustomers], outputs: [fctSales, revenueFile], rowCount: 7 }));
    expect(event.inputs.map((d) => d.name)).toEqual(['main.stg_sales', 'main.stg_customers']);
    expect(event.outputs.map((d) => [d.name, d.outputFacets?.outputStatistics?.rowCount])).toEqual([
      ['main.fct_sales', 7],
      ['/home/me/mini-data-mart/data/exports/revenue.csv', 7],
    ]);
  });

  test('every facet names its producer and its schema', () => {
    const event = validEvent(step({ status: 'FAILURE', errorMessage: 'boom', rowCount: undefined }));
    const facets = [
      ...Object.entries(event.run.facets ?? {}),
      ...Object.entries(event.job.facets ?? {}),
      ...event.outputs.flatMap((d) => Object.entries(d.outputFacets ?? {})),
    ];
    expect(facets.map(([key]) => key).sort()).toEqual(['errorMessage', 'jobType', 'parent', 'sql']);
    for (const [key, facet] of facets) {
      expect([key, facet?._producer, facet?._schemaURL]).toEqual([
        key,
        producer,
        facetSchemaUrls[key as keyof typeof facetSchemaUrls],
      ]);
    }
  });
});
