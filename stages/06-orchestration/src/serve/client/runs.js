// The Runs page: polls /api/events?after=<cursor> every second and, when anything
// happened, reads /api/runs again and redraws the table. No page reload.
import { clock, el, every, getJson, seconds } from './live.js';

const statusNode = document.getElementById('status');
const body = document.querySelector('#runs tbody');
let cursor = 0;
let runs;

function draw() {
  body.replaceChildren(
    ...runs.map((run) =>
      el(
        'tr',
        { 'data-run-id': run.id },
        el('td', { class: 'key' }, el('a', { href: `/runs/${encodeURIComponent(run.id)}` }, run.id.slice(0, 8))),
        el('td', { class: `status ${run.status}` }, run.status),
        el('td', {}, clock(run.startedAt ?? run.createdAt)),
        el('td', { class: 'num' }, seconds(run.startedAt, run.endedAt)),
        el(
          'td',
          {},
          `${run.steps.done}/${run.steps.total} done` +
            (run.steps.running ? `, ${run.steps.running} running` : '') +
            (run.steps.failed ? `, ${run.steps.failed} failed` : '') +
            (run.steps.skipped ? `, ${run.steps.skipped} skipped` : ''),
        ),
        el('td', {}, run.selection),
        el('td', {}, run.partitions),
      ),
    ),
  );
}

async function refresh() {
  const answer = await getJson('/api/runs?limit=50');
  runs = answer.runs;
  statusNode.textContent =
    runs.length === 0 ? answer.empty : `${runs.length} most recent runs · live (updates every second)`;
  draw();
}

every(
  1000,
  async () => {
    // Catch up page by page (a full page means more are waiting), then redraw once.
    let changed = runs === undefined;
    for (;;) {
      const page = await getJson(`/api/events?after=${cursor}`);
      if (page.events.length > 0) changed = true;
      cursor = page.cursor;
      if (!page.more) break;
    }
    if (changed) await refresh();
    else if (runs.some((run) => !run.endedAt)) draw(); // durations of running runs tick
  },
  statusNode,
);
