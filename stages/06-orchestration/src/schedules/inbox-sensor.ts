import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CliError, type MartPaths, salesHeader } from '@mart/shared';

/** The sensor's name in storage, `schedule --list` and the runs it launches. */
export const inboxSensorName = 'inbox_sensor';

/** One batch file waiting in the inbox. */
export interface InboxFile {
  name: string;
  path: string;
  sha256: string;
  /**
   * What makes the file trigger once (Dagster's run_key): its name and content. The
   * same file seen again is skipped; the same name with new content is a new batch.
   */
  runKey: string;
}

/** The drop folder: `data/inbox/`. */
export function inboxDir(paths: Pick<MartPaths, 'data'>): string {
  return join(paths.data, 'inbox');
}

/** What {@link scanInbox} remembers of a file between evaluations, so it hashes only what changed. */
export type InboxHashes = Map<string, { size: number; mtimeMs: number; sha256: string }>;

/**
 * The batch files in the inbox, by name: `*.csv` files, except names starting with a
 * dot. Whoever drops a file writes it as `.name.csv` and renames it when it is
 * complete (a rename is atomic), so the sensor never reads half a file. Processed files
 * stay in the inbox, so `hashes` (kept by the scheduler between evaluations) spares
 * reading every one of them again each tick: a file whose size and time are unchanged
 * keeps its hash.
 */
export function scanInbox(dir: string, hashes: InboxHashes = new Map()): InboxFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.csv') && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const path = join(dir, name);
      const { size, mtimeMs } = statSync(path);
      const known = hashes.get(path);
      const sha256 =
        known && known.size === size && known.mtimeMs === mtimeMs
          ? known.sha256
          : createHash('sha256').update(readFileSync(path)).digest('hex');
      hashes.set(path, { size, mtimeMs, sha256 });
      return { name, path, sha256, runKey: `${name}@${sha256.slice(0, 16)}` };
    });
}

/**
 * Stage 4's ingest reads a folder of the four files stage 2 loads, and checks every
 * sale against the dimensions of the same ingest. A batch is sales only, so its input
 * folder is the seeds' dimension files plus the batch as sales.csv (copied byte for
 * byte: the line numbers in rejects are the batch file's own). Written to a temporary
 * name and renamed, so a folder that exists is complete.
 *
 * @throws CliError when the file's header is not sales.csv's (naming the file and the difference).
 */
export function batchInputDir(options: {
  file: InboxFile;
  dimensionsDir: string;
  paths: Pick<MartPaths, 'data'>;
}): string {
  const { file, dimensionsDir, paths } = options;
  checkBatchHeader(file);
  const target = join(paths.data, 'runs', 'inbox', `${basename(file.name, '.csv')}-${file.sha256.slice(0, 12)}`);
  if (existsSync(join(target, 'sales.csv'))) return target;
  const partial = `${target}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  for (const dimension of ['customers.csv', 'products.csv', 'stores.csv']) {
    copyFileSync(join(dimensionsDir, dimension), join(partial, dimension));
  }
  copyFileSync(file.path, join(partial, 'sales.csv'));
  rmSync(target, { recursive: true, force: true });
  renameSync(partial, target);
  return target;
}

/** A batch's first line must be sales.csv's header; say where it differs. */
function checkBatchHeader(file: InboxFile): void {
  const text = readFileSync(file.path, 'utf8');
  const header = (text.split(/\r?\n/, 1)[0] ?? '').replace(/^\uFEFF/, '');
  if (header === salesHeader) return;
  const expected = salesHeader.split(',');
  const found = header.split(',');
  const at = expected.findIndex((name, i) => found[i] !== name);
  const column = at === -1 ? expected.length + 1 : at + 1;
  throw new CliError(
    `${file.path}:1: the header is not a sales batch's: column ${column} is "${found[column - 1] ?? '(missing)'}", expected "${expected[column - 1] ?? '(no more columns)'}".`,
    {
      hint: `A batch file in the inbox holds sale lines under the header of data/seeds/stage-02/sales.csv:\n  ${salesHeader}\nFix the file (its new content makes it a new batch, picked up at the next tick).`,
    },
  );
}
