// The vendored OpenLineage schemas and the validator built on them.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { facetSchemaUrls, openLineageSchemaUrl, type RunEvent } from '../src/given/index.ts';
import { facetSchemas, validateLineageEvent } from '../src/lineage/index.ts';

const spec = (file: string) => readFileSync(new URL(`../src/lineage/spec/${file}`, import.meta.url));

describe('the vendored schema files', () => {
  test('are the upstream bytes (sizes as stored; the 2-0-2 core by its published digest)', () => {
    const sizes: Record<string, number> = {
      'OpenLineage-2-0-2.json': 9155,
      'OpenLineage-1-0-2.json': 9151,
      'facets/ParentRunFacet-1-0-0.json': 1620,
      'facets/ErrorMessageRunFacet-1-0-0.json': 1494,
      'facets/JobTypeJobFacet-2-0-4.json': 2903,
      'facets/SQLJobFacet-1-0-1.json': 634,
      'facets/SchemaDatasetFacet-1-0-0.json': 1383,
      'facets/DatasourceDatasetFacet-1-0-1.json': 691,
      'facets/ColumnLineageDatasetFacet-1-0-1.json': 2078,
      'facets/OutputStatisticsOutputDatasetFacet-1-0-1.json': 873,
    };
    for (const [file, size] of Object.entries(sizes)) expect([file, spec(file).length]).toEqual([file, size]);
    expect(createHash('sha256').update(spec('OpenLineage-2-0-2.json')).digest('hex')).toBe(
      '69f68bee00b9beac88a87059c0102410e7bb05f3f43c46d02a0409831eceb0d2',
    );
  });

  test("the given schema URLs are the vendored files' $id + #/$defs/<Facet>", () => {
    const byKey = new Map(facetSchemas().map((facet) => [facet.key, `${facet.id}#/$defs/${facet.name}`]));
    expect(Object.fromEntries(byKey)).toEqual(facetSchemaUrls);
    const core = JSON.parse(spec('OpenLineage-2-0-2.json').toString()) as { $id: string };
    expect(openLineageSchemaUrl).toBe(`${core.$id}#/$defs/RunEvent`);
  });
});

describe('validateLineageEvent', () => {
  const producer = 'urn:mini-data-mart:test';
  const valid = (): RunEvent => ({
    eventType: 'COMPLETE',
    eventTime: '2026-12-02T10:00:00.000Z',
    producer,
    schemaURL: openLineageSchemaUrl,
    run: {
      runId: '0b6a8c8e-4a3c-4e4f-9a51-3d1f1c2a7b10',
      facets: {
        parent: {
          _producer: producer,
          _schemaURL: facetSchemaUrls.parent,
          run: { runId: '8d0c3f52-7a8e-4f0a-b1a4-5f6e7d8c9b0a' },
          job: { namespace: 'mini-data-mart', name: 'materialize' },
        },
      },
    },
    job: { namespace: 'mini-data-mart', name: 'dbt/marts/fct_sales' },
    inputs: [],
    outputs: [
      {
        namespace: 'duckdb:///tmp/stage-05.duckdb',
        name: 'main.fct_sales',
        outputFacets: {
          outputStatistics: { _producer: producer, _schemaURL: facetSchemaUrls.outputStatistics, rowCount: 3 },
        },
      },
    ],
  });

  test('accepts a good event', () => {
    expect(validateLineageEvent(valid())).toEqual({ valid: true, errors: [] });
  });

  test.each([
    ['a run id that is no UUID', (e: RunEvent) => (e.run.runId = 'run-1'), 'run.runId: must match format "uuid"'],
    [
      'no schemaURL',
      (e: RunEvent) => delete (e as Partial<RunEvent>).schemaURL,
      "event: must have required property 'schemaURL'",
    ],
    [
      'an unknown eventType',
      (e: RunEvent) => ((e as { eventType: string }).eventType = 'DONE'),
      'eventType: must be equal to one of the allowed values',
    ],
    [
      'a facet without _schemaURL',
      (e: RunEvent) => delete (e.run.facets?.parent ?? ({} as Partial<BaseLike>))._schemaURL,
      "run.facets.parent: must have required property '_schemaURL'",
    ],
    [
      'a parent facet without its job',
      (e: RunEvent) => delete (e.run.facets?.parent ?? ({} as Partial<{ job: unknown }>)).job,
      "run.facets.parent: must have required property 'job'",
    ],
    [
      'rowCount in facets instead of outputFacets',
      (e: RunEvent) => {
        const output = e.outputs[0] as unknown as Record<string, unknown>;
        output.facets = output.outputFacets;
        delete output.outputFacets;
      },
      "outputs[0].facets.outputStatistics: OutputStatisticsOutputDatasetFacet belongs in an output's outputFacets",
    ],
    [
      'a facet under the wrong key',
      (e: RunEvent) => {
        const facets = e.run.facets as Record<string, unknown>;
        facets.parentRun = facets.parent;
        delete facets.parent;
      },
      'run.facets.parentRun: ParentRunFacet goes under the key "parent", not "parentRun".',
    ],
    [
      'a _schemaURL that names no vendored schema',
      (e: RunEvent) => {
        if (e.run.facets?.parent)
          e.run.facets.parent._schemaURL = 'https://openlineage.io/spec/facets/9-9-9/ParentRunFacet.json';
      },
      'is not one of the vendored facet schemas',
    ],
  ])('rejects %s', (_, mutate, message) => {
    const event = valid();
    mutate(event);
    const { valid: ok, errors } = validateLineageEvent(event);
    expect(ok).toBe(false);
    expect(errors.join('\n')).toContain(message);
  });
});

type BaseLike = { _schemaURL: string };

describe('the fixtures (test/fixtures/openlineage/, examples for the UI and for readers)', () => {
  const fixture = (name: string): unknown =>
    JSON.parse(readFileSync(new URL(`./fixtures/openlineage/${name}`, import.meta.url), 'utf8'));

  test('an asset COMPLETE event as the orchestrator emits it is valid', () => {
    expect(validateLineageEvent(fixture('asset-complete.json'))).toEqual({ valid: true, errors: [] });
  });

  test('its broken twin is rejected, with every problem named', () => {
    expect(validateLineageEvent(fixture('asset-complete-invalid.json')).errors).toEqual([
      'run.runId: must match format "uuid"',
      "run.facets.parent: must have required property 'job'",
      "outputs[0].facets.outputStatistics: OutputStatisticsOutputDatasetFacet belongs in an output's outputFacets, not in outputs[0].facets.",
    ]);
  });
});
