// HTML built from tagged templates that escape every interpolated value: asset keys,
// run messages and lineage names come from the learner's files, so nothing reaches the
// page as markup unless this module made it.

/** A piece of markup already escaped (made by {@link html} or {@link rawHtml}). */
export class SafeHtml {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

/** A value a template may interpolate: text is escaped, SafeHtml kept, lists joined. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

/**
 * Escapes the five characters that matter in HTML text and attribute values.
 *
 * @example
 * escapeHtml('<script>"x"</script>') // → '&lt;script&gt;&quot;x&quot;&lt;/script&gt;'
 */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/**
 * A template whose interpolations are escaped (SafeHtml values and lists of them are
 * inserted as they are).
 *
 * @example
 * html`<td>${key}</td>`.text // key '<b>' → '<td>&lt;b&gt;</td>'
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let text = strings[0] ?? '';
  values.forEach((value, i) => {
    text += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(text);
}

/** Markup this code wrote itself (never user text): inserted unescaped. */
export function rawHtml(text: string): SafeHtml {
  return new SafeHtml(text);
}
