/** A name as ducklake_snapshot_changes writes it: in double quotes, inner quotes doubled. */
export function quoteChange(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
