/**
 * Python's `fnmatch.fnmatch` (case-sensitive, as on Linux): `*` any run of characters,
 * `?` one character, `[abc]` / `[!abc]` a set. `/` and `.` are ordinary characters.
 *
 * @example
 * fnmatch('jaffle.staging.stg_orders', 'jaffle.staging.*') // → true
 */
export function fnmatch(name: string, pattern: string): boolean {
  return fnmatchRegex(pattern).test(name);
}

/** True when the text has fnmatch wildcards. */
export function hasWildcard(text: string): boolean {
  return /[*?[\]]/.test(text);
}

const cache = new Map<string, RegExp>();

function fnmatchRegex(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    if (char === '*') out += '.*';
    else if (char === '?') out += '.';
    else if (char === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) out += '\\[';
      else {
        let set = pattern.slice(i + 1, close);
        set = set.startsWith('!') ? `^${set.slice(1)}` : set;
        out += `[${set.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else out += char.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  const regex = new RegExp(`^${out}$`, 's');
  cache.set(pattern, regex);
  return regex;
}

/**
 * A path glob as Python's `Path.glob` reads it: `*` and `?` stay inside one folder,
 * `**` crosses folders.
 *
 * @example
 * pathGlob('models/staging/stg_orders.sql', 'models/*\/*.sql') // → true
 */
export function pathGlob(path: string, pattern: string): boolean {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    if (char === '*' && pattern.charAt(i + 1) === '*') {
      out += '.*';
      i++;
      if (pattern.charAt(i + 1) === '/') i++;
    } else if (char === '*') out += '[^/]*';
    else if (char === '?') out += '[^/]';
    else out += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`).test(path);
}
