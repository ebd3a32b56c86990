import { InputFileError } from '@mart/shared';

/** One data record of a seed file, with the line it starts on (the header is line 1). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A seed file, split into fields. */
export interface ParsedCsv {
  header: string[];
  records: CsvRecord[];
}

/**
 * Splits a seed CSV the way Python's csv module (dbt's reader) does: `delimiter`
 * between fields, `"` quotes fields that hold the delimiter, quotes or line breaks (`""`
 * is one quote inside them), records end at LF, CRLF or CR, a leading BOM is skipped.
 * Quoting never changes a value's type (`"007"` is read like 007).
 *
 * Stricter than Python where dbt would load something silently wrong: a record with
 * more or fewer fields than the header, a quote never closed, an empty or repeated column
 * name are errors naming the file and line. Blank lines are skipped.
 *
 * @example
 * parseCsv('id,name\n1,"Ada, Countess"\n', { file: 'seeds/people.csv' })
 * // → { header: ['id', 'name'], records: [{ line: 2, fields: ['1', 'Ada, Countess'] }] }
 */
export function parseCsv(text: string, options: { file: string; delimiter?: string }): ParsedCsv {
  const { file } = options;
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new InputFileError(
      file,
      `the delimiter must be one character other than a quote or line break, not ${JSON.stringify(delimiter)}`,
    );
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let atFieldStart = true;
  let sawAnything = false;

  const endRecord = () => {
    fields.push(field);
    // A blank line is no record (Python yields [], which we skip).
    if (!(fields.length === 1 && fields[0] === '' && !sawAnything)) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    atFieldStart = true;
    sawAnything = false;
  };

  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n' || (ch === '\r' && body[i + 1] !== '\n')) line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && atFieldStart) {
      quoted = true;
      quoteLine = line;
      atFieldStart = false;
      sawAnything = true;
      continue;
    }
    if (ch === delimiter) {
      fields.push(field);
      field = '';
      atFieldStart = true;
      sawAnything = true;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
      continue;
    }
    // Python's csv (not strict): a quote inside an unquoted field, or text after a
    // closing quote, is kept as it is.
    field += ch;
    atFieldStart = false;
    sawAnything = true;
  }
  if (quoted) {
    throw new InputFileError(file, 'a quoted field is never closed (its opening quote is here)', { line: quoteLine });
  }
  if (field !== '' || fields.length > 0 || sawAnything) endRecord();

  const [head, ...data] = records;
  if (!head) throw new InputFileError(file, 'the file is empty: a seed needs a header line with the column names');
  const header = head.fields;
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    if (name.trim() === '') {
      throw new InputFileError(file, `column ${i + 1} of the header has no name`, { line: head.line });
    }
    const key = name.toLowerCase();
    if (seen.has(key)) {
      throw new InputFileError(
        file,
        `the header names column "${name}" twice (columns ${(seen.get(key) ?? 0) + 1} and ${i + 1})`,
        {
          line: head.line,
        },
      );
    }
    seen.set(key, i);
  });
  for (const record of data) {
    if (record.fields.length !== header.length) {
      throw new InputFileError(
        file,
        `this record has ${record.fields.length} fields but the header has ${header.length} columns`,
        {
          line: record.line,
          hint:
            delimiter === ','
              ? 'Quote values that contain a comma ("a, b"), or set the seed’s delimiter config if the file uses another separator.'
              : `The seed's delimiter is ${JSON.stringify(delimiter)}; quote values that contain it.`,
        },
      );
    }
  }
  return { header, records: data };
}
