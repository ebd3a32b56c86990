// One run's page: appends new events to the timeline as /api/runs/<id>/events returns
// them, and reads the run and its steps again whenever there were any. No page reload.
import { clock, el, every, getJson, seconds } from './live.js';

const section = document.getElementById('run');
const runId = section.dataset.runId;
const statusNode = document.getElementById('status');
const summary = document.getElementById('summary');
const steps = document.querySelector('#steps tbody');
const timeline = document.querySelector('#timeline tbody');
const base = `/api/runs/${encodeURIComponent(runId)}`;
let cursor = 0;
let detail;

function drawRun() {
  const { run } = detail;
  statusNode.textContent = run.endedAt ? `Run ${run.id}` : `Run ${run.id} · live (updates every second)`;
  const item = (term, ...value) => [el('dt', {}, term), el('dd', {}, ...value)];
  summary.replaceChildren(
    ...item('status', el('span', { class: `status ${run.status}`, id: 'run-status' }, run.status)),
    ...item('selection', run.selection),
    ...(run.partitions ? item('partitions', run.partitions) : []),
    ...item('started', clock(run.startedAt ?? run.createdAt)),
    ...item('duration', seconds(run.startedAt, run.endedAt)),
    ...(run.statusMessage ? item('message', run.statusMessage) : []),
  );
  steps.replaceChildren(
    ...detail.steps.map((step) =>
      el(
        'tr',
        { 'data-asset': step.assetKey },
        el('td', { class: 'key' }, step.assetKey),
        el('td', { class: `status ${step.status}` }, step.status),
        el('td', { class: 'num' }, step.attempt),
        el('td', { class: 'num' }, step.rows ?? ''),
        el('td', { class: 'num' }, step.startedAt ? seconds(step.startedAt, step.endedAt) : ''),
        el(
          'td',
          {},
          step.checks.passed + step.checks.failed === 0
            ? ''
            : `${step.checks.passed} passed${step.checks.failed ? `, ${step.checks.failed} failed` : ''}`,
        ),
        el('td', { class: 'message' }, step.message === 'Succeeded.' ? '' : (step.message ?? '')),
      ),
    ),
  );
}

function appendEvents(events) {
  const start = Date.parse(detail.run.createdAt);
  for (const event of events) {
    timeline.append(
      el(
        'tr',
        { class: `event ${event.type}`, 'data-event-id': event.id },
        el('td', { class: 'num' }, `+${((Date.parse(event.time) - start) / 1000).toFixed(1)} s`),
        el('td', {}, event.type),
        el('td', { class: 'key' }, event.assetKey ?? ''),
        el('td', {}, event.partitionKey ?? ''),
        el('td', { class: 'message' }, event.message),
      ),
    );
  }
}

every(
  1000,
  async () => {
    if (detail === undefined) detail = await getJson(base);
    const events = [];
    for (;;) {
      const page = await getJson(`${base}/events?after=${cursor}`);
      events.push(...page.events);
      cursor = page.cursor;
      if (!page.more) break;
    }
    if (events.length > 0) detail = await getJson(base);
    if (events.length > 0 || !detail.run.endedAt) drawRun();
    appendEvents(events);
  },
  statusNode,
);
