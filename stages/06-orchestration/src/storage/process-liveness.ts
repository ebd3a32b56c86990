import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** This machine's name, as recorded beside every PID (a PID means nothing on another host). */
export function thisHost(): string {
  return hostname();
}

/**
 * Whether process `pid` on `host` still exists. On another host nothing can be known
 * (`undefined`: the caller falls back on the heartbeat). A zombie (killed but not yet
 * reaped by its parent) is dead: it will never write again.
 *
 * @example
 * processAlive(process.pid, thisHost()) // → true
 */
export function processAlive(pid: number, host: string): boolean | undefined {
  if (host !== thisHost()) return undefined;
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    // Signal 0 checks existence and permission without sending anything.
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** Linux only: `/proc/<pid>/stat`'s state field is `Z` for a zombie. Elsewhere: never. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (command name) S …`: the name may hold spaces and parentheses, so read after the last `)`.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}
