import { closeSync, openSync, readSync } from 'node:fs';

/** How much of a file is read to find its header: far more than any header line. */
const headerBytes = 64 * 1024;

/**
 * The column names of a CSV file's header line, exactly as written (a leading BOM
 * dropped, quotes undone), reading only its first 64 KB; undefined when the file cannot
 * be read or has no complete header line in them. A raw file's schema facet: every column
 * of a CSV file is text until stage 2 types it.
 *
 * @example
 * csvHeader('data/seeds/stage-02/sales.csv') // → ['sale_id', 'line_number', 'sale_date', …]
 */
export function csvHeader(path: string): string[] | undefined {
  let text: string;
  let read: number;
  try {
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(headerBytes);
      read = readSync(fd, buffer, 0, headerBytes, 0);
      text = buffer.subarray(0, read).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char !== '"') field += char;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      fields.push(field);
      return fields;
    } else field += char;
  }
  // No line ending in the bytes read: a one-line file is complete only if it ended there.
  if (read < headerBytes && !quoted && text.length > 0) {
    fields.push(field);
    return fields;
  }
  return undefined;
}
