import { type HtmlValue, html, type SafeHtml } from './html.ts';

/** Options for {@link pageLayout}. */
export interface PageOptions {
  /** The tab's title and the page's heading. */
  title: string;
  /** Which nav link is this page. */
  active: 'assets' | 'runs' | 'lineage';
  body: HtmlValue;
  /** A client script from /static/ (the live pages). */
  script?: string;
}

const links = [
  ['assets', '/', 'Assets'],
  ['runs', '/runs', 'Runs'],
  ['lineage', '/lineage', 'Lineage'],
] as const;

/** The frame of every page: the nav, the heading, the body, one stylesheet and maybe one script. */
export function pageLayout(options: PageOptions): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Mini Data Mart</title>
<link rel="stylesheet" href="/static/style.css">
${options.script ? html`<script type="module" src="/static/${options.script}"></script>` : ''}
</head>
<body>
<nav>
<span class="brand">Mini Data Mart · stage 6</span>
${links.map(([id, href, label]) => html`<a href="${href}"${id === options.active ? html` class="active"` : ''}>${label}</a>`)}
</nav>
<main>
<h1>${options.title}</h1>
${options.body}
</main>
</body>
</html>
`;
}
