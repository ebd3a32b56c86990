import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A dataset by its OpenLineage identity. */
export interface DatasetId {
  namespace: string;
  name: string;
}

/** One job as the Lineage page shows it: what it read and wrote, over all its events. */
export interface LineageJob {
  namespace: string;
  name: string;
  /** Distinct OpenLineage run ids seen. */
  runs: number;
  lastEventType: string;
  lastEventTime: string;
  inputs: DatasetId[];
  outputs: DatasetId[];
}

/** One dataset: which jobs write it and which read it. */
export interface LineageDataset extends DatasetId {
  writtenBy: string[];
  readBy: string[];
}

export interface LineageView {
  files: string[];
  events: number;
  /** Lines that were not an OpenLineage event (cut short, hand-edited). */
  unreadable: number;
  jobs: LineageJob[];
  datasets: LineageDataset[];
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function datasetsOf(value: unknown): DatasetId[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((dataset) => ({ namespace: text(dataset.namespace), name: text(dataset.name) }));
}

const idOf = (dataset: DatasetId) => `${dataset.namespace}\u0000${dataset.name}`;

/**
 * Reads every `*.jsonl` of the file sink's folder (data/lineage/) and folds the events
 * into jobs and datasets. A missing folder is no events. Read on each request: the files
 * only grow, and a course's worth of events is small.
 *
 * @example
 * lineageView(lineageDir(paths)).jobs[0] // → { name: 'dbt/fct_sales', inputs: [...], outputs: [...], … }
 */
export function lineageView(dir: string): LineageView {
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.endsWith('.jsonl'))
        .sort()
    : [];
  const jobs = new Map<string, LineageJob & { runIds: Set<string>; inputIds: Set<string>; outputIds: Set<string> }>();
  let events = 0;
  let unreadable = 0;
  for (const file of files) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      let event: unknown;
      try {
        event = JSON.parse(line);
      } catch {
        unreadable += 1;
        continue;
      }
      if (!isObject(event) || !isObject(event.job) || text(event.job.name) === '') {
        unreadable += 1;
        continue;
      }
      events += 1;
      const namespace = text(event.job.namespace);
      const name = text(event.job.name);
      const key = `${namespace}\u0000${name}`;
      let job = jobs.get(key);
      if (!job) {
        job = {
          namespace,
          name,
          runs: 0,
          lastEventType: '',
          lastEventTime: '',
          inputs: [],
          outputs: [],
          runIds: new Set(),
          inputIds: new Set(),
          outputIds: new Set(),
        };
        jobs.set(key, job);
      }
      if (isObject(event.run) && text(event.run.runId)) job.runIds.add(text(event.run.runId));
      const time = text(event.eventTime);
      if (time >= job.lastEventTime) {
        job.lastEventTime = time;
        job.lastEventType = text(event.eventType);
      }
      for (const [list, ids, datasets] of [
        [job.inputs, job.inputIds, datasetsOf(event.inputs)],
        [job.outputs, job.outputIds, datasetsOf(event.outputs)],
      ] as const) {
        for (const dataset of datasets) {
          if (ids.has(idOf(dataset))) continue;
          ids.add(idOf(dataset));
          list.push(dataset);
        }
      }
    }
  }
  const datasets = new Map<string, LineageDataset>();
  const datasetFor = (dataset: DatasetId) => {
    let found = datasets.get(idOf(dataset));
    if (!found) {
      found = { ...dataset, writtenBy: [], readBy: [] };
      datasets.set(idOf(dataset), found);
    }
    return found;
  };
  const list = [...jobs.values()]
    .map(({ runIds, inputIds, outputIds, ...job }) => ({ ...job, runs: runIds.size }))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const job of list) {
    for (const input of job.inputs) datasetFor(input).readBy.push(job.name);
    for (const output of job.outputs) datasetFor(output).writtenBy.push(job.name);
  }
  return {
    files,
    events,
    unreadable,
    jobs: list,
    datasets: [...datasets.values()].sort((a, b) => a.name.localeCompare(b.name)),
  };
}
