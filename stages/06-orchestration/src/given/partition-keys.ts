// Daily partition keys, `YYYY-MM-DD`: the day a partition covers, in UTC. Given code: the
// backfill piece, the partitions definition and the CLI all read and step keys with these.

const keyPattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dayMs = 86_400_000;

/**
 * Whether `text` is a daily partition key: `YYYY-MM-DD` naming a day that exists
 * (`2024-02-29` yes, `2023-02-29` and `2024-2-1` no).
 *
 * @example
 * isPartitionKey('2024-03-01') // → true
 * isPartitionKey('2024-02-30') // → false
 */
export function isPartitionKey(text: string): boolean {
  const match = keyPattern.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = new Date(Date.UTC(year, month - 1, day));
  return time.getUTCFullYear() === year && time.getUTCMonth() === month - 1 && time.getUTCDate() === day;
}

/**
 * The key `days` days after `key` (before it, when negative). Keys sort like the days they
 * name, so plain string comparison (`a < b`) orders them.
 *
 * @example
 * addDays('2024-02-28', 2) // → '2024-03-01'
 * addDays('2024-01-01', -1) // → '2023-12-31'
 */
export function addDays(key: string, days: number): string {
  if (!isPartitionKey(key)) throw new Error(`addDays: "${key}" is not a partition key (YYYY-MM-DD).`);
  if (!Number.isInteger(days)) throw new Error(`addDays: ${days} is not a whole number of days.`);
  return new Date(Date.parse(`${key}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}
