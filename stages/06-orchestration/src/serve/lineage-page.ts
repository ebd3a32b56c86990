import { html, type SafeHtml } from './html.ts';
import type { DatasetId, LineageView } from './lineage-view.ts';
import { pageLayout } from './page-layout.ts';

function datasetList(datasets: readonly DatasetId[]): SafeHtml {
  return html`<ul>${datasets.map((dataset) => html`<li title="${dataset.namespace}">${dataset.name}</li>`)}</ul>`;
}

/** The Lineage page: each job with the datasets it read and wrote, then each dataset with its jobs. */
export function lineagePage(view: LineageView, shownDir: string): SafeHtml {
  if (view.events === 0) {
    return pageLayout({
      title: 'Lineage',
      active: 'lineage',
      body: html`<p class="empty">No lineage events yet in ${shownDir}: <code>pnpm stage 6 materialize</code> writes them.</p>`,
    });
  }
  const body = html`<p class="summary">${view.events} OpenLineage events in ${view.files.length} ${view.files.length === 1 ? 'file' : 'files'} of ${shownDir}${view.unreadable > 0 ? html`; <span class="warn">${view.unreadable} unreadable lines skipped</span>` : ''}.</p>
<h2>Jobs</h2>
<table id="jobs">
<thead><tr><th>job</th><th>inputs</th><th>outputs</th><th>runs</th><th>last event</th></tr></thead>
<tbody>
${view.jobs.map(
  (job) => html`<tr data-job="${job.name}">
<td class="key" title="${job.namespace}">${job.name}</td><td>${datasetList(job.inputs)}</td><td>${datasetList(job.outputs)}</td>
<td class="num">${job.runs}</td><td>${job.lastEventType} ${job.lastEventTime.replace('T', ' ').slice(0, 19)}</td>
</tr>`,
)}
</tbody>
</table>
<h2>Datasets</h2>
<table id="datasets">
<thead><tr><th>dataset</th><th>namespace</th><th>written by</th><th>read by</th></tr></thead>
<tbody>
${view.datasets.map(
  (dataset) => html`<tr><td class="key">${dataset.name}</td><td>${dataset.namespace}</td>
<td>${dataset.writtenBy.join(', ')}</td><td>${dataset.readBy.join(', ')}</td></tr>`,
)}
</tbody>
</table>`;
  return pageLayout({ title: 'Lineage', active: 'lineage', body });
}
