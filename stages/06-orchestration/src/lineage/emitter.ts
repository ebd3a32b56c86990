import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { MartPaths } from '@mart/shared';
import {
  type AssetLineageEventOptions,
  type Dataset,
  facetSchemaUrls,
  type JobRef,
  lineageIntegration,
  lineageNamespace,
  lineageProgrammingLanguage,
  openLineageSchemaUrl,
  type RunEvent,
} from '../given/lineage-types.ts';
import { appendLine, FileLineageSink } from './file-sink.ts';
import { HttpLineageSink, type HttpLineageSinkOptions, type UnsentEvent } from './http-sink.ts';
import { validateLineageEvent } from './validator.ts';

/** The `producer` of every event (and `_producer` of every facet) this stage emits. */
export const lineageProducer = 'urn:mini-data-mart:stage-06-orchestration:0.1.0';

/** Where lineage events are written: `data/lineage/`. */
export function lineageDir(paths: MartPaths): string {
  return join(paths.data, 'lineage');
}

/** Options for {@link LineageEmitter}. */
export interface LineageEmitterOptions {
  /** The file sink's folder (lineageDir). */
  dir: string;
  /** Builds one asset step's event: the lineage-event piece (the learner's with --mine). */
  assetEvent: (options: AssetLineageEventOptions) => RunEvent;
  /**
   * Read for MART_OPENLINEAGE_URL (the HTTP sink: off when unset), MART_OPENLINEAGE_API_KEY
   * (its Bearer token) and MART_OPENLINEAGE_NAMESPACE (the job namespace).
   */
  env?: NodeJS.ProcessEnv;
  /** Overrides of the HTTP sink's settings (retries, timeouts); `url` overrides the env. */
  http?: Partial<HttpLineageSinkOptions>;
  /** The run's job name. Default `materialize`. */
  jobName?: string;
  producer?: string;
  /** The clock, for tests. */
  now?: () => Date;
}

/** One asset step, as the executor describes it. */
export interface AssetStepLineage {
  /** The orchestrator run's id (the run storage's). */
  runId: string;
  assetKey: string;
  inputs: readonly Dataset[];
  outputs: readonly Dataset[];
  /** The compiled SQL, for a stage 5 model. */
  sql?: string;
  /** When it happened, if the event is emitted later (after its facets were computed). Default: now. */
  at?: Date;
}

/** What a run's lineage came to: the run prints `message`. */
export interface LineageReport {
  events: number;
  /** The JSON-lines files written. */
  files: string[];
  /** Events that failed validation (still written to the file, not sent), or could not be built. */
  invalid: { job: string; eventType: string; errors: string[] }[];
  /** The HTTP sink's outcome, when one is configured. */
  http: { endpoint: string; sent: number; unsent: UnsentEvent[] } | undefined;
  /** Where the unsent events were copied for sending later (`unsent.jsonl`). */
  unsentFile: string | undefined;
  /** One or two lines for the run's output. */
  message: string;
}

/**
 * A deterministic UUID for an asset step's own OpenLineage run: the same for its START
 * and its COMPLETE (and for a UI that only knows the run id and the asset key).
 * UUID version 5 layout over SHA-1 of `<runId>/<assetKey>`.
 *
 * @example
 * stepRunId('1c9e…', 'dbt/marts/fct_sales') // → '5b0e…-…' (always the same)
 */
export function stepRunId(runId: string, assetKey: string): string {
  const hash = createHash('sha1').update(`${runId}/${assetKey}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Emits a run's OpenLineage events: START and COMPLETE / FAIL / ABORT for the run (job
 * `materialize`, jobType JOB) and for each asset step (job = the asset key, jobType
 * ASSET, its `parent` facet pointing at the run). Every event is validated, appended to
 * `data/lineage/<date>.jsonl`, and queued for the HTTP endpoint if one is configured.
 * Nothing here throws at the run or waits for the network: `close` waits (with a time
 * limit) and says what happened.
 *
 * @example
 * const lineage = new LineageEmitter({ dir: lineageDir(paths), assetEvent: pieces.assetLineageEvent, env });
 * lineage.runStarted(run.id);
 * lineage.assetStarted(step); … lineage.assetEnded({ ...step, status: 'SUCCESS', rowCount: 120 });
 * lineage.runEnded(run.id, 'SUCCESS');
 * io.info((await lineage.close()).message);
 */
export class LineageEmitter {
  readonly namespace: string;
  readonly runJob: JobRef;
  readonly #producer: string;
  readonly #now: () => Date;
  readonly #assetEvent: LineageEmitterOptions['assetEvent'];
  readonly #file: FileLineageSink;
  readonly #http: HttpLineageSink | undefined;
  readonly #files = new Set<string>();
  readonly #invalid: LineageReport['invalid'] = [];
  #events = 0;

  constructor(options: LineageEmitterOptions) {
    const env = options.env ?? {};
    this.namespace = env.MART_OPENLINEAGE_NAMESPACE || lineageNamespace;
    this.runJob = { namespace: this.namespace, name: options.jobName ?? 'materialize' };
    this.#producer = options.producer ?? lineageProducer;
    this.#now = options.now ?? (() => new Date());
    this.#assetEvent = options.assetEvent;
    this.#file = new FileLineageSink(options.dir);
    const url = options.http?.url ?? env.MART_OPENLINEAGE_URL;
    const apiKey = options.http?.apiKey ?? env.MART_OPENLINEAGE_API_KEY;
    this.#http = url ? new HttpLineageSink({ ...options.http, url, ...(apiKey ? { apiKey } : {}) }) : undefined;
  }

  /** The run's START (`at`: when, if not now). */
  runStarted(runId: string, at?: Date): void {
    this.#emit(this.#runEvent('START', runId, undefined, at));
  }

  /** The run's end: COMPLETE, FAIL (with the errorMessage facet) or ABORT (`at`: when, if not now). */
  runEnded(runId: string, status: 'SUCCESS' | 'FAILURE' | 'CANCELED', errorMessage?: string, at?: Date): void {
    const type = status === 'SUCCESS' ? 'COMPLETE' : status === 'FAILURE' ? 'FAIL' : 'ABORT';
    this.#emit(this.#runEvent(type, runId, status === 'FAILURE' ? errorMessage : undefined, at));
  }

  /** An asset step's START. */
  assetStarted(step: AssetStepLineage): void {
    this.#asset(step, { status: 'STARTED' });
  }

  /** An asset step's end, with the rows written or why it failed. */
  assetEnded(
    step: AssetStepLineage & { status: 'SUCCESS' | 'FAILURE' | 'CANCELED'; rowCount?: number; errorMessage?: string },
  ): void {
    this.#asset(step, {
      status: step.status,
      ...(step.rowCount === undefined ? {} : { rowCount: step.rowCount }),
      ...(step.errorMessage === undefined ? {} : { errorMessage: step.errorMessage }),
    });
  }

  /**
   * Waits for the HTTP sink (at most `timeoutMs`), copies what it could not send to
   * `unsent.jsonl`, and sums up. Never throws.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<LineageReport> {
    const http = this.#http ? await this.#http.flush(options.timeoutMs ?? 10_000) : undefined;
    let unsentFile: string | undefined;
    if (http && http.unsent.length > 0) {
      unsentFile = join(this.#file.dir, 'unsent.jsonl');
      for (const { event } of http.unsent) appendLine(unsentFile, JSON.stringify(event));
    }
    const files = [...this.#files];
    const lines = [`Lineage: ${this.#events} OpenLineage events written to ${files.join(', ') || 'no file'}.`];
    if (this.#invalid.length > 0) {
      const first = this.#invalid[0];
      lines.push(
        `${this.#invalid.length} of them are not valid OpenLineage (not sent): ${first?.eventType} ${first?.job}: ${first?.errors[0] ?? ''}`,
      );
    }
    if (http) {
      if (http.unsent.length === 0) lines.push(`All ${http.sent} sent to ${http.endpoint}.`);
      else {
        lines.push(
          `${http.unsent.length} could not be sent to ${http.endpoint} (${http.unsent[0]?.reason}); they are kept in ${unsentFile}. The run itself is not affected.`,
        );
      }
    }
    return { events: this.#events, files, invalid: [...this.#invalid], http, unsentFile, message: lines.join('\n') };
  }

  #asset(
    step: AssetStepLineage,
    outcome: Pick<AssetLineageEventOptions, 'status' | 'rowCount' | 'errorMessage'>,
  ): void {
    const job = { namespace: this.namespace, name: step.assetKey };
    let event: RunEvent;
    try {
      event = this.#assetEvent({
        ...outcome,
        eventTime: (step.at ?? this.#now()).toISOString(),
        runId: stepRunId(step.runId, step.assetKey),
        job,
        parent: { runId: step.runId, job: this.runJob },
        inputs: step.inputs,
        outputs: step.outputs,
        ...(step.sql === undefined ? {} : { sql: step.sql }),
        producer: this.#producer,
      });
    } catch (error) {
      // A learner's piece that throws (--mine) costs the event, not the run.
      const message = error instanceof Error ? error.message : String(error);
      this.#invalid.push({ job: job.name, eventType: outcome.status, errors: [`could not be built: ${message}`] });
      return;
    }
    this.#emit(event);
  }

  #runEvent(
    eventType: 'START' | 'COMPLETE' | 'FAIL' | 'ABORT',
    runId: string,
    errorMessage: string | undefined,
    at: Date | undefined,
  ): RunEvent {
    const base = { _producer: this.#producer };
    return {
      eventType,
      eventTime: (at ?? this.#now()).toISOString(),
      producer: this.#producer,
      schemaURL: openLineageSchemaUrl,
      run: {
        runId,
        ...(errorMessage
          ? {
              facets: {
                errorMessage: {
                  ...base,
                  _schemaURL: facetSchemaUrls.errorMessage,
                  message: errorMessage,
                  programmingLanguage: lineageProgrammingLanguage,
                },
              },
            }
          : {}),
      },
      job: {
        ...this.runJob,
        facets: {
          jobType: {
            ...base,
            _schemaURL: facetSchemaUrls.jobType,
            processingType: 'BATCH',
            integration: lineageIntegration,
            jobType: 'JOB',
          },
        },
      },
      inputs: [],
      outputs: [],
    };
  }

  #emit(event: RunEvent): void {
    this.#events += 1;
    const { valid, errors } = validateLineageEvent(event);
    try {
      this.#files.add(this.#file.write(event));
    } catch (error) {
      errors.push(`not written: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!valid) {
      this.#invalid.push({ job: String(event?.job?.name), eventType: String(event?.eventType), errors });
      return;
    }
    this.#http?.enqueue(event);
  }
}
