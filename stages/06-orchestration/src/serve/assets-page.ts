import { type AssetRow, assetLayers } from './assets-view.ts';
import { html, type SafeHtml } from './html.ts';
import { pageLayout } from './page-layout.ts';

const nodeWidth = 210;
const nodeHeight = 44;
const columnGap = 50;
const rowGap = 14;
const top = 30;

/** A key too long for its box keeps its end (the table name), the full key is in the tooltip. */
function shortKey(key: string): string {
  return key.length > 27 ? `…${key.slice(-26)}` : key;
}

/** The layered graph: one column per step of depth, an edge from each dependency to its asset. */
function graphSvg(rows: readonly AssetRow[]): SafeHtml {
  const at = new Map(rows.map((row) => [row.key, row]));
  const x = (row: AssetRow) => row.column * (nodeWidth + columnGap);
  const y = (row: AssetRow) => top + row.row * (nodeHeight + rowGap);
  const columns = Math.max(0, ...rows.map((row) => row.column)) + 1;
  const width = columns * (nodeWidth + columnGap) - columnGap;
  const height = top + Math.max(1, ...rows.map((row) => row.row + 1)) * (nodeHeight + rowGap);
  const headers = Array.from({ length: columns }, (_, column) => {
    const layers = assetLayers.filter((layer) => rows.some((row) => row.column === column && row.layer === layer));
    return html`<text class="column" x="${column * (nodeWidth + columnGap)}" y="14">${layers.join(' / ')}</text>`;
  });
  const edges = rows.flatMap((row) =>
    row.deps.flatMap((dep) => {
      const from = at.get(dep);
      if (!from) return [];
      const x1 = x(from) + nodeWidth;
      const y1 = y(from) + nodeHeight / 2;
      const x2 = x(row);
      const y2 = y(row) + nodeHeight / 2;
      const bend = columnGap / 2;
      return [html`<path class="edge" d="M${x1} ${y1} C${x1 + bend} ${y1} ${x2 - bend} ${y2} ${x2} ${y2}"/>`];
    }),
  );
  const nodes = rows.map(
    (row, i) => html`<a href="#asset-${i}"><g class="node ${row.status} layer-${row.layer}">
<title>${row.key}: ${row.status}${row.detail ? ` (${row.detail})` : ''}</title>
<rect x="${x(row)}" y="${y(row)}" width="${nodeWidth}" height="${nodeHeight}" rx="6"/>
<text x="${x(row) + 10}" y="${y(row) + 18}">${shortKey(row.key)}</text>
<text class="sub" x="${x(row) + 10}" y="${y(row) + 34}">${row.group} · ${row.status}</text>
</g></a>`,
  );
  return html`<svg class="graph" role="img" aria-label="asset graph" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
${headers}${edges}${nodes}
</svg>`;
}

function when(row: AssetRow): SafeHtml | string {
  const last = row.lastMaterialization;
  if (!last) return '';
  return html`${last.time.replace('T', ' ').slice(0, 19)} <a href="/runs/${encodeURIComponent(last.runId)}">run ${last.runId.slice(0, 8)}</a>`;
}

/** The Assets page: the graph, then one table row per asset (layer by layer). */
export function assetsPage(result: { rows: AssetRow[] } | { error: string }): SafeHtml {
  if ('error' in result) {
    return pageLayout({
      title: 'Assets',
      active: 'assets',
      body: html`<p class="error">The course's asset graph could not be loaded: ${result.error}</p>`,
    });
  }
  const { rows } = result;
  const count = (status: AssetRow['status']) => rows.filter((row) => row.status === status).length;
  const ordered = rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => a.row.column - b.row.column || a.row.row - b.row.row);
  const body = html`<p class="summary">${rows.length} assets: ${count('fresh')} fresh, ${count('stale')} stale, ${count('missing')} missing, ${count('external')} external.
Build them: <code>pnpm stage 6 materialize</code>.</p>
<p class="legend"><span class="fresh">fresh</span> <span class="stale">stale</span> <span class="missing">missing</span> <span class="external">external</span></p>
<div class="graph-box">${graphSvg(rows)}</div>
<table id="assets">
<thead><tr><th>asset</th><th>layer</th><th>group</th><th>kinds</th><th>checks</th><th>last materialized</th><th>rows</th><th>status</th></tr></thead>
<tbody>
${ordered.map(
  ({ row, i }) => html`<tr id="asset-${i}" data-asset="${row.key}">
<td class="key">${row.key}</td><td>${row.layer}</td><td>${row.group}</td><td>${row.kinds.join(', ')}</td>
<td>${row.checks || ''}</td><td>${when(row)}</td><td class="num">${row.lastMaterialization?.rows ?? ''}</td>
<td class="status ${row.status}">${row.status}${row.detail ? html`<div class="detail">${row.detail}</div>` : ''}</td>
</tr>`,
)}
</tbody>
</table>`;
  return pageLayout({ title: 'Assets', active: 'assets', body });
}
