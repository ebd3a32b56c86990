import { isUtf8 } from 'node:buffer';

/** Where the first byte that is not valid UTF-8 sits: line and column are 1-based. */
export interface InvalidUtf8 {
  line: number;
  column: number;
  byte: number;
}

/**
 * Returns undefined for valid UTF-8 (checked natively, fast), otherwise the position of
 * the first invalid byte. Typical cause: a file saved as Windows-1252 or Latin-1, where
 * "é" is the single byte 0xE9.
 *
 * @example
 * locateInvalidUtf8(Buffer.from([0x61, 0x0a, 0x62, 0xe9])) // → { line: 2, column: 2, byte: 0xe9 }
 */
export function locateInvalidUtf8(bytes: Buffer): InvalidUtf8 | undefined {
  if (isUtf8(bytes)) return undefined;
  let lineStart = 0;
  for (let line = 1; lineStart < bytes.length; line++) {
    const lineFeed = bytes.indexOf(0x0a, lineStart);
    const lineEnd = lineFeed === -1 ? bytes.length : lineFeed;
    const lineBytes = bytes.subarray(lineStart, lineEnd);
    if (!isUtf8(lineBytes)) {
      // The lenient decoder turns the first bad byte into U+FFFD: its position is the column.
      const text = new TextDecoder().decode(lineBytes);
      const before = text.slice(0, text.indexOf('\uFFFD'));
      return { line, column: Array.from(before).length + 1, byte: lineBytes[Buffer.byteLength(before)] ?? 0 };
    }
    lineStart = lineEnd + 1;
  }
  return undefined;
}
