/**
 * `run_started_at` as templates use it: prints like Python's datetime in UTC
 * (`2024-05-01 10:00:00.123000+00:00`), with `strftime` and `isoformat`.
 */
export function runStartedAtValue(time: Date): object {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const parts: Record<string, string> = {
    Y: String(time.getUTCFullYear()),
    m: pad(time.getUTCMonth() + 1),
    d: pad(time.getUTCDate()),
    H: pad(time.getUTCHours()),
    M: pad(time.getUTCMinutes()),
    S: pad(time.getUTCSeconds()),
    f: pad(time.getUTCMilliseconds() * 1000, 6),
    z: '+0000',
    '%': '%',
  };
  const text = `${parts.Y}-${parts.m}-${parts.d} ${parts.H}:${parts.M}:${parts.S}.${parts.f}+00:00`;
  return {
    toString: () => text,
    isoformat: () => text.replace(' ', 'T'),
    strftime: (format: string) => format.replace(/%([YmdHMSfz%])/g, (_match, code: string) => parts[code] ?? ''),
    year: time.getUTCFullYear(),
    month: time.getUTCMonth() + 1,
    day: time.getUTCDate(),
  };
}
