import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS with `exports.default`; under Node's ESM the default import is
// module.exports, which is the plugin itself.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv2020,
) => Ajv2020;

/** The vendored schema files (src/lineage/spec/, each verbatim from OpenLineage: see its README). */
const specFiles = [
  'OpenLineage-2-0-2.json',
  'OpenLineage-1-0-2.json',
  'facets/ParentRunFacet-1-0-0.json',
  'facets/ErrorMessageRunFacet-1-0-0.json',
  'facets/JobTypeJobFacet-2-0-4.json',
  'facets/SQLJobFacet-1-0-1.json',
  'facets/SchemaDatasetFacet-1-0-0.json',
  'facets/DatasourceDatasetFacet-1-0-1.json',
  'facets/ColumnLineageDatasetFacet-1-0-1.json',
  'facets/OutputStatisticsOutputDatasetFacet-1-0-1.json',
] as const;

/** The core spec every event is checked against. */
export const coreSchemaId = 'https://openlineage.io/spec/2-0-2/OpenLineage.json';

type Schema = { $id: string; $defs?: Record<string, unknown>; properties?: Record<string, unknown> };

/** Where a facet may sit in an event, from the base its schema extends. */
type FacetPlace = 'run' | 'job' | 'dataset' | 'inputDataset' | 'outputDataset';

/** A vendored facet schema, read once: its `$id`, the key it goes under, where it sits. */
export interface FacetSchema {
  /** The file's `$id`, e.g. `https://openlineage.io/spec/facets/1-0-0/SchemaDatasetFacet.json`. */
  id: string;
  /** Its definition's name, e.g. `SchemaDatasetFacet`. */
  name: string;
  /** The key it goes under in an event, e.g. `schema`. */
  key: string;
  place: FacetPlace;
  /** The file, as vendored. */
  file: string;
}

/**
 * Some old facet files (SQLJobFacet, DatasourceDatasetFacet, OutputStatistics… 1-0-1)
 * point their base facet at core spec 1-0-1, which is not vendored (no stored copy of
 * it could be found). These references are resolved to the same definitions of core
 * 1-0-2 (a base facet is `_producer` + `_schemaURL` in both). This small schema is
 * ours, not OpenLineage's, and is never written into an event.
 */
const core101Bridge = {
  $id: 'https://openlineage.io/spec/1-0-1/OpenLineage.json',
  $defs: Object.fromEntries(
    ['RunFacet', 'JobFacet', 'DatasetFacet', 'InputDatasetFacet', 'OutputDatasetFacet'].map((name) => [
      name,
      { $ref: `https://openlineage.io/spec/1-0-2/OpenLineage.json#/$defs/${name}` },
    ]),
  ),
};

/** The result of {@link validateLineageEvent}. */
export interface LineageValidation {
  valid: boolean;
  /** One line per problem, naming where in the event it is (`run.facets.parent: must have required property 'job'`). */
  errors: string[];
}

interface Validator {
  core: ValidateFunction;
  facets: Map<string, FacetSchema & { validate: ValidateFunction }>;
}

let cached: Validator | undefined;

/** Compiles the vendored schemas once per process. */
function validator(): Validator {
  if (cached) return cached;
  // Strict about unknown keywords (a typo in a schema would silently check nothing), not
  // about the spec files' style (`required` listing properties defined elsewhere).
  const ajv = new Ajv2020({
    allErrors: true,
    strictSchema: true,
    strictRequired: false,
    strictTypes: false,
    strictTuples: false,
  });
  // The spec files document values with `example`, a keyword JSON Schema does not define.
  ajv.addVocabulary(['example']);
  addFormats(ajv);
  const schemas = specFiles.map((file) => ({
    file,
    schema: JSON.parse(readFileSync(new URL(`./spec/${file}`, import.meta.url), 'utf8')) as Schema,
  }));
  for (const { schema } of schemas) ajv.addSchema(schema);
  ajv.addSchema(core101Bridge);
  // Only run events are emitted here: check against RunEvent itself, not the root's
  // oneOf (RunEvent, DatasetEvent, JobEvent), whose failed branches would add noise.
  const core = ajv.getSchema(`${coreSchemaId}#/$defs/RunEvent`);
  if (!core) throw new Error(`The vendored ${coreSchemaId} did not compile.`);
  const facets = new Map<string, FacetSchema & { validate: ValidateFunction }>();
  for (const { file, schema } of schemas.filter((entry) => entry.file.startsWith('facets/'))) {
    const [key, property] = Object.entries(schema.properties ?? {})[0] ?? [];
    const ref = String((property as { $ref?: string } | undefined)?.$ref ?? '');
    const name = ref.replace('#/$defs/', '');
    const definition = JSON.stringify(schema.$defs?.[name] ?? {});
    const base = /OpenLineage\.json#\/\$defs\/(\w+)"/.exec(definition)?.[1];
    const place: FacetPlace =
      base === 'RunFacet'
        ? 'run'
        : base === 'JobFacet'
          ? 'job'
          : base === 'InputDatasetFacet'
            ? 'inputDataset'
            : base === 'OutputDatasetFacet'
              ? 'outputDataset'
              : 'dataset';
    const validate = ajv.getSchema(`${schema.$id}#/$defs/${name}`);
    if (!key || !name || !validate) throw new Error(`Cannot read the facet schema ${file}.`);
    facets.set(schema.$id, { id: schema.$id, name, key, place, file, validate });
  }
  cached = { core, facets };
  return cached;
}

/** The vendored facet schemas, by `$id`. */
export function facetSchemas(): FacetSchema[] {
  return [...validator().facets.values()].map(({ validate: _, ...facet }) => facet);
}

/**
 * Checks one event against OpenLineage 2-0-2 (the vendored core schema) and each of its
 * facets against the vendored schema its `_schemaURL` names; also that each facet sits
 * under its own key and where its kind belongs (a run facet in run.facets, an output
 * facet in outputs[].outputFacets). A facet whose `_schemaURL` names no vendored schema
 * is an error: this course only emits facets it can check.
 *
 * @example
 * const { valid, errors } = validateLineageEvent(event);
 * if (!valid) console.log(errors.join('\n'));
 */
export function validateLineageEvent(event: unknown): LineageValidation {
  const { core, facets } = validator();
  const errors: string[] = [];
  if (!core(event)) errors.push(...format('', core.errors));
  if (typeof event !== 'object' || event === null) return { valid: false, errors };
  const record = event as Record<string, unknown>;
  const containers: { path: string; place: FacetPlace; facets: unknown }[] = [
    { path: 'run.facets', place: 'run', facets: (record.run as Record<string, unknown> | undefined)?.facets },
    { path: 'job.facets', place: 'job', facets: (record.job as Record<string, unknown> | undefined)?.facets },
  ];
  for (const [list, place] of [
    ['inputs', 'inputDataset'],
    ['outputs', 'outputDataset'],
  ] as const) {
    const datasets = Array.isArray(record[list]) ? (record[list] as Record<string, unknown>[]) : [];
    datasets.forEach((dataset, i) => {
      containers.push({ path: `${list}[${i}].facets`, place: 'dataset', facets: dataset?.facets });
      const own = place === 'inputDataset' ? 'inputFacets' : 'outputFacets';
      containers.push({ path: `${list}[${i}].${own}`, place, facets: dataset?.[own] });
    });
  }
  for (const container of containers) {
    if (typeof container.facets !== 'object' || container.facets === null) continue;
    for (const [key, facet] of Object.entries(container.facets)) {
      const at = `${container.path}.${key}`;
      const url = (facet as { _schemaURL?: unknown } | null)?._schemaURL;
      if (typeof url !== 'string') continue; // the core schema already reported it
      const [id = '', pointer = ''] = url.split('#');
      const schema = facets.get(id);
      if (!schema) {
        errors.push(`${at}: _schemaURL ${url} is not one of the vendored facet schemas.`);
        continue;
      }
      if (pointer !== `/$defs/${schema.name}`) {
        errors.push(`${at}: _schemaURL should end with #/$defs/${schema.name}, not #${pointer}.`);
      }
      if (key !== schema.key) errors.push(`${at}: ${schema.name} goes under the key "${schema.key}", not "${key}".`);
      if (schema.place !== container.place) {
        errors.push(`${at}: ${schema.name} belongs in ${placeName(schema.place)}, not in ${container.path}.`);
      }
      if (!schema.validate(facet)) errors.push(...format(at, schema.validate.errors));
    }
  }
  return { valid: errors.length === 0, errors };
}

function placeName(place: FacetPlace): string {
  return {
    run: 'run.facets',
    job: 'job.facets',
    dataset: "a dataset's facets",
    inputDataset: "an input's inputFacets",
    outputDataset: "an output's outputFacets",
  }[place];
}

function format(prefix: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? [])
    .filter((error) => error.keyword !== 'if' && error.keyword !== 'oneOf')
    .map((error) => {
      const where = `${prefix}${error.instancePath.replace(/^\//, prefix ? '.' : '').replaceAll('/', '.')}` || 'event';
      const extra =
        error.keyword === 'additionalProperties'
          ? ` (${String(error.params.additionalProperty)})`
          : error.keyword === 'enum'
            ? ` (${(error.params.allowedValues as unknown[]).join(', ')})`
            : '';
      return `${where}: ${error.message ?? error.keyword}${extra}`;
    });
}
