import { html, type SafeHtml } from './html.ts';
import { pageLayout } from './page-layout.ts';

/** What the runs list says before any run exists. */
export const noRunsYet = 'no runs yet: pnpm stage 6 materialize';

/**
 * The Runs page: a table the client script (runs.js) fills from /api/runs and refreshes
 * whenever /api/events has something new. Without runs.db it starts with the hint.
 */
export function runsPage(options: { storageExists: boolean }): SafeHtml {
  const body = html`<p id="status" class="live">${options.storageExists ? 'Loading runs…' : noRunsYet}</p>
<table id="runs">
<thead><tr><th>run</th><th>status</th><th>started</th><th>duration</th><th>steps</th><th>selection</th><th>partitions</th></tr></thead>
<tbody></tbody>
</table>`;
  return pageLayout({ title: 'Runs', active: 'runs', body, script: 'runs.js' });
}

/** One run's page: its steps and timeline, filled and followed by run.js. */
export function runPage(runId: string): SafeHtml {
  const body = html`<section id="run" data-run-id="${runId}">
<p id="status" class="live">Loading run ${runId}…</p>
<dl id="summary"></dl>
<h2>Steps</h2>
<table id="steps">
<thead><tr><th>asset</th><th>status</th><th>attempts</th><th>rows</th><th>time</th><th>checks</th><th>message</th></tr></thead>
<tbody></tbody>
</table>
<h2>Timeline</h2>
<table id="timeline">
<thead><tr><th>at</th><th>event</th><th>asset</th><th>partition</th><th>message</th></tr></thead>
<tbody></tbody>
</table>
</section>`;
  return pageLayout({ title: `Run ${runId.slice(0, 8)}`, active: 'runs', body, script: 'run.js' });
}
