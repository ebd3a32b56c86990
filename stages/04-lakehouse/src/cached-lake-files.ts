import { randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { copyFile, link, mkdir, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type Database, quoteLiteral } from '@mart/shared';
import type { LakeFileRequest, LakeFiles, LocalLakeFile } from './ducklake/read/lake-files.ts';
import type { ObjectStore } from './object-store.ts';
import { settleAll } from './transfer-limit.ts';

/** Bytes `[start, end)` of a file. */
type ByteRange = readonly [start: number, end: number];

/** Tuning of {@link cachedLakeFiles}; the defaults suit the course's lakes. */
export interface CachedLakeFilesOptions {
  /** Files up to this size are always fetched whole: one GET beats a footer GET plus chunk GETs. Default 256 KiB. */
  smallFileBytes?: number;
  /** When a read would leave less than this share of a file unfetched, the rest is fetched too. Default 0.9. */
  wholeFileShare?: number;
  /** Ranges this close (in bytes) are fetched as one GET, the gap included. Default 16 KiB. */
  mergeGapBytes?: number;
}

/** What a cache moved and served, for the commands' summaries (`query`, `build`). */
export interface TransferCounts {
  files: number;
  bytes: number;
}

/** The lake's files through a local cache: see {@link cachedLakeFiles}. */
export interface CachedLakeFiles extends LakeFiles {
  localFiles(requests: readonly LakeFileRequest[], db: Database): Promise<LocalLakeFile[]>;
  /** Files fetched from the store (whole or partly) and the bytes that came over the network. */
  readonly downloaded: TransferCounts;
  /** Files asked for, fetched or not, and their sizes: what was read, against `downloaded`. */
  readonly read: TransferCounts;
  /** A whole object by key, e.g. a bronze file: from the cache, else downloaded. */
  fetch(key: string): Promise<string>;
  /** Puts a copy of a local file just uploaded as `key` into the cache (write-through), so reading it back costs nothing. */
  remember(key: string, localPath: string): Promise<void>;
}

/** A cached partial file: which bytes are there, in which data file. Written after the data file, renamed into place. */
interface PartialIndex {
  version: 1;
  /** The object's size: the data file has exactly this size. */
  size: number;
  /** The data file's name, beside the index: `<name>.partial-<id>`. */
  data: string;
  /** Bytes present, sorted and merged. */
  ranges: ByteRange[];
  /** The footer's bytes (in `ranges` too). */
  footer: ByteRange;
  /** Field ids whose column chunks are all present (or that the file does not have). */
  fieldIds: number[];
}

/** Thrown inside a ranged read to say: this file is better fetched whole. Never escapes. */
class WholeFileInstead extends Error {}

const parquetMagic = Buffer.from('PAR1', 'ascii');

/**
 * Lake files through a local cache: `s3://mart-lake/lake/gold/x/ducklake-….parquet` is
 * fetched to `<cacheDir>/mart-lake/lake/gold/x/…` (data/lake/cache/) and read from there
 * with read_parquet. DuckLake data files never change after they are written (a change
 * is a new file), so a cached copy never goes stale.
 *
 * `localFiles` fetches only what a query reads, as DuckDB's own remote reader and the
 * official DuckLake extension do: for a file of more than `smallFileBytes`, its footer
 * first (one ranged GET of the last footer_size + 8 bytes: the footer, its length and
 * `PAR1`), then — from the footer's metadata, read by DuckDB — the byte ranges of the
 * requested columns' chunks (dictionary and data pages, and bloom filters, in every row
 * group), all GETs of all files in parallel (the store bounds them). The bytes go into a
 * sparse local file of the object's full size, `<name>.partial-<id>`, beside an index
 * `<name>.ranges.json` listing what is in it; DuckDB reads the footer and the requested
 * columns from it and never touches the zeros in between (see LocalLakeFile). A later
 * read fetches only what is still missing and writes a new partial file with every
 * byte fetched so far; once a read would leave less than 10 % of the file unfetched, the
 * rest is fetched and the file becomes a whole one, `<name>`. Files whose size or footer
 * size the catalog does not know, whole-table reads and anything unexpected in a footer
 * (encryption, nested columns, a bloom filter of unknown length) fall back to fetching
 * the whole file.
 *
 * Nothing half-fetched is ever left under a cache name: every file is written to a
 * `.tmp` name and renamed into place once complete, the index only after its data file.
 * A failed fetch leaves the cache as it was (and removes its temporary file).
 *
 * Within a process, fills of one object take turns, and a partial file handed to a query
 * is not deleted while the process runs (the next process's fill removes it). Two
 * processes filling the same object at the same moment each write their own partial
 * file and the last index wins: every index always describes its own file, so nothing
 * wrong is ever read, but a query of the other process may find its partial file gone
 * and fail (run it again).
 */
export function cachedLakeFiles(
  store: ObjectStore,
  cacheDir: string,
  options: CachedLakeFilesOptions = {},
): CachedLakeFiles {
  const smallFileBytes = options.smallFileBytes ?? 256 * 1024;
  const wholeFileShare = options.wholeFileShare ?? 0.9;
  const mergeGapBytes = options.mergeGapBytes ?? 16 * 1024;
  const downloaded: TransferCounts = { files: 0, bytes: 0 };
  const read: TransferCounts = { files: 0, bytes: 0 };
  // Partial files this process handed to a query: never deleted while it may still read them.
  const handedOut = new Set<string>();
  // One fill at a time per object, in this process.
  const busy = new Map<string, Promise<unknown>>();
  const bucketFolder = store.urlPrefix
    .replace(/^[a-z0-9]+:\/\//, '')
    .replace(/\/$/, '')
    .replace(/[^A-Za-z0-9._-]/g, '_');
  const entryOf = (key: string) => join(cacheDir, bucketFolder, ...key.split('/'));
  const keyOf = (resolvedPath: string) => {
    if (!resolvedPath.startsWith(store.urlPrefix)) {
      throw new Error(`${resolvedPath} is not in ${store.description}: is this catalog for another bucket?`);
    }
    return resolvedPath.slice(store.urlPrefix.length);
  };

  function locked<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = busy.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    busy.set(key, settled);
    void settled.then(() => {
      if (busy.get(key) === settled) busy.delete(key);
    });
    return next;
  }

  const tempName = (entry: string, what: string) => `${entry}.${what}-${randomUUID().slice(0, 8)}.tmp`;

  /** The whole object at `entry`: the missing bytes of a partial copy, or one GET. */
  async function fetchWhole(key: string, entry: string): Promise<string> {
    if (existsSync(entry)) return entry;
    mkdirSync(dirname(entry), { recursive: true });
    const index = readIndex(entry);
    if (index) {
      await fillPartial(key, entry, index.size, index, () => ({ wanted: 'rest' }));
      return entry;
    }
    const temp = tempName(entry, 'whole');
    try {
      await store.get(key, temp);
      const size = statSync(temp).size;
      renameSync(temp, entry);
      downloaded.files += 1;
      downloaded.bytes += size;
    } finally {
      rmSync(temp, { force: true });
    }
    removePartials(entry);
    return entry;
  }

  /**
   * Writes a new copy of the object holding what `index` had plus what `plan` asks for,
   * as a partial file (or, when that is (nearly) everything, the whole file). `plan`
   * sees the temporary file with the footer in it, to read the column layout.
   */
  async function fillPartial(
    key: string,
    entry: string,
    size: number,
    index: PartialIndex | undefined,
    plan: (temp: string, footer: ByteRange) => Promise<Plan> | Plan,
    footerSize?: number,
  ): Promise<LocalLakeFile> {
    const temp = tempName(entry, 'partial');
    let fd: number | undefined = openSync(temp, 'w+');
    let fetchedHere = 0;
    const fetch = async (range: ByteRange): Promise<Uint8Array> => {
      const bytes = await store.getRange(key, range[0], range[1]);
      fetchedHere += bytes.length;
      downloaded.bytes += bytes.length;
      return bytes;
    };
    try {
      ftruncateSync(fd, size);
      let present: ByteRange[] = [];
      if (index) {
        copyRanges(join(dirname(entry), index.data), fd, index.ranges);
        present = index.ranges;
      }
      writeSync(fd, parquetMagic, 0, parquetMagic.length, 0);
      present = mergeRanges([...present, [0, parquetMagic.length]], 0);
      let footer = index?.footer;
      if (!footer) {
        if (footerSize === undefined) throw new WholeFileInstead();
        footer = await fetchFooter(fd, size, footerSize, fetch);
        present = mergeRanges([...present, footer], 0);
      }
      const chosen = await plan(temp, footer);
      let wanted: ByteRange[];
      let complete = false;
      if (chosen.wanted === 'rest') {
        wanted = complement(present, size);
        complete = true;
      } else {
        wanted = mergeRanges(subtract(chosen.wanted, present), mergeGapBytes);
        if (totalBytes(present) + totalBytes(wanted) >= wholeFileShare * size) {
          wanted = complement(present, size);
          complete = true;
        }
      }
      // settleAll: when one GET fails, none is still running when the temporary file goes.
      const parts = await settleAll(wanted.map(async (range) => ({ range, bytes: await fetch(range) })));
      for (const { range, bytes } of parts) writeAll(fd, bytes, range[0]);
      closeSync(fd);
      fd = undefined;
      if (fetchedHere > 0) downloaded.files += 1;
      if (complete) {
        renameSync(temp, entry);
        removePartials(entry);
        return { path: entry, fieldIds: 'all' };
      }
      const data = `${basename(entry)}.partial-${randomUUID().slice(0, 8)}`;
      renameSync(temp, join(dirname(entry), data));
      const fieldIds = [...new Set([...(index?.fieldIds ?? []), ...(chosen.wanted === 'rest' ? [] : chosen.fieldIds)])];
      const next: PartialIndex = {
        version: 1,
        size,
        data,
        ranges: mergeRanges([...present, ...wanted], 0),
        footer,
        fieldIds: fieldIds.sort((a, b) => a - b),
      };
      const indexTemp = tempName(entry, 'index');
      try {
        writeFileSync(indexTemp, `${JSON.stringify(next)}\n`);
        renameSync(indexTemp, indexOf(entry));
      } catch (error) {
        rmSync(indexTemp, { force: true });
        rmSync(join(dirname(entry), data), { force: true });
        throw error;
      }
      removePartials(entry, data);
      return { path: join(dirname(entry), data), fieldIds: next.fieldIds };
    } finally {
      if (fd !== undefined) closeSync(fd);
      rmSync(temp, { force: true });
    }
  }

  /** Partial data files of `entry` other than `keep`, unless a query of this process may still read them; and the index when none is kept. */
  function removePartials(entry: string, keep?: string): void {
    const dir = dirname(entry);
    const prefix = `${basename(entry)}.partial-`;
    if (!keep) rmSync(indexOf(entry), { force: true });
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(prefix) || name.endsWith('.tmp') || name === keep) continue;
      const path = join(dir, name);
      if (!handedOut.has(path)) rmSync(path, { force: true });
    }
  }

  async function localFile(request: LakeFileRequest, db: Database): Promise<LocalLakeFile> {
    const key = keyOf(request.path);
    const entry = entryOf(key);
    const size = request.sizeBytes ?? undefined;
    return locked(key, async () => {
      if (existsSync(entry)) {
        count(read, size ?? statSync(entry).size);
        return { path: entry, fieldIds: 'all' };
      }
      mkdirSync(dirname(entry), { recursive: true });
      let index = readIndex(entry);
      if (index && size !== undefined && index.size !== size) {
        // Not the object the catalog describes (files never change): start afresh.
        removePartials(entry);
        index = undefined;
      }
      count(read, size ?? index?.size ?? 0);
      const wanted = request.fieldIds;
      const footerSize = request.footerSize ?? undefined;
      if (
        wanted === undefined ||
        size === undefined ||
        size <= smallFileBytes ||
        (!index && footerSize === undefined)
      ) {
        return { path: await fetchWhole(key, entry), fieldIds: 'all' };
      }
      const covered =
        wanted.length === 0 ? (index?.fieldIds.length ?? 0) > 0 : wanted.every((id) => index?.fieldIds.includes(id));
      if (index && covered) {
        const path = join(dirname(entry), index.data);
        handedOut.add(path);
        return { path, fieldIds: index.fieldIds };
      }
      try {
        const local = await fillPartial(
          key,
          entry,
          size,
          index,
          async (temp) => {
            const layout = await columnLayout(db, temp);
            if (!layout) throw new WholeFileInstead();
            const ids = wanted.length > 0 ? [...wanted] : layout.smallest === undefined ? [] : [layout.smallest];
            return { wanted: ids.flatMap((id) => layout.chunks.get(id) ?? []), fieldIds: ids };
          },
          footerSize,
        );
        if (local.fieldIds !== 'all') handedOut.add(local.path);
        return local;
      } catch (error) {
        if (!(error instanceof WholeFileInstead)) throw error;
        return { path: await fetchWhole(key, entry), fieldIds: 'all' };
      }
    });
  }

  return {
    downloaded,
    read,
    fetch: (key) =>
      locked(key, async () => {
        const entry = entryOf(key);
        const path = await fetchWhole(key, entry);
        count(read, statSync(path).size);
        return path;
      }),
    async localPath(resolvedPath) {
      const key = keyOf(resolvedPath);
      return locked(key, async () => {
        const path = await fetchWhole(key, entryOf(key));
        count(read, statSync(path).size);
        return path;
      });
    },
    localFiles: (requests, db) => settleAll(requests.map((request) => localFile(request, db))),
    remember: (key, localPath) =>
      locked(key, async () => {
        const entry = entryOf(key);
        if (existsSync(entry)) return;
        // Asynchronous, unlike the rest of this file: an ingest remembers every bronze day
        // file it uploads, each in a new folder, and a new folder costs up to a millisecond
        // on some disks. Off the main thread, the uploads go on meanwhile.
        const created = await mkdir(dirname(entry), { recursive: true });
        const temp = tempName(entry, 'copy');
        try {
          try {
            // A second name for the same bytes when the cache is on the same disk: free.
            await link(localPath, temp);
          } catch {
            await copyFile(localPath, temp);
          }
          await rename(temp, entry);
        } catch (error) {
          rmSync(temp, { force: true });
          throw error;
        }
        // A folder made just now holds no partial downloads to clear.
        if (created === undefined) removePartials(entry);
      }),
  };
}

/** What a fill fetches: byte ranges (and the field ids they complete), or everything still missing. */
type Plan = { wanted: ByteRange[]; fieldIds: number[] } | { wanted: 'rest' };

function count(counts: TransferCounts, bytes: number): void {
  counts.files += 1;
  counts.bytes += bytes;
}

function indexOf(entry: string): string {
  return `${entry}.ranges.json`;
}

/** The partial copy's index, when it and its data file are there and agree; undefined otherwise. */
function readIndex(entry: string): PartialIndex | undefined {
  const path = indexOf(entry);
  if (!existsSync(path)) return undefined;
  try {
    const index = JSON.parse(readFileSync(path, 'utf8')) as PartialIndex;
    if (index.version !== 1 || typeof index.data !== 'string' || index.data.includes('/')) return undefined;
    const data = join(dirname(entry), index.data);
    if (!existsSync(data) || statSync(data).size !== index.size) return undefined;
    return index;
  } catch {
    return undefined;
  }
}

/**
 * Fetches the footer: the last `footerSize + 8` bytes, whose last 8 are the footer's
 * length (little-endian) and `PAR1`. When the length found differs from the catalog's,
 * the footer the file itself announces is fetched. Returns the footer's range.
 */
async function fetchFooter(
  fd: number,
  size: number,
  footerSize: number,
  fetch: (range: ByteRange) => Promise<Uint8Array>,
): Promise<ByteRange> {
  let start = size - footerSize - 8;
  if (start < parquetMagic.length) throw new WholeFileInstead();
  const tail = Buffer.from(await fetch([start, size]));
  // `PARE` is an encrypted footer: nothing to plan with.
  if (!tail.subarray(tail.length - 4).equals(parquetMagic)) throw new WholeFileInstead();
  writeAll(fd, tail, start);
  const length = tail.readUInt32LE(tail.length - 8);
  const announced = size - length - 8;
  if (announced < parquetMagic.length) throw new WholeFileInstead();
  if (announced < start) {
    writeAll(fd, await fetch([announced, start]), announced);
    start = announced;
  }
  return [Math.min(start, announced), size];
}

/** Column chunks by field id, from a file's footer; undefined when the file is not a flat one this plan can handle. */
async function columnLayout(
  db: Database,
  path: string,
): Promise<{ chunks: Map<number, ByteRange[]>; smallest: number | undefined } | undefined> {
  const file = quoteLiteral(path);
  const schema = await db.all<{ name: string; field_id: number | null; num_children: number | null }>(
    `select name, field_id, num_children from parquet_schema(${file})`,
  );
  // Row 0 is the root; every other element must be a leaf (a flat schema).
  const leaves = schema.slice(1);
  if (leaves.some((element) => element.num_children !== null && Number(element.num_children) > 0)) return undefined;
  const fieldOf = new Map(leaves.map((element) => [element.name, element.field_id]));
  if (fieldOf.size !== leaves.length) return undefined;
  const chunks = await db.all<{
    path_in_schema: string;
    dictionary_page_offset: number | null;
    data_page_offset: number | null;
    index_page_offset: number | null;
    total_compressed_size: number | null;
    bloom_filter_offset: number | null;
    bloom_filter_length: number | null;
  }>(
    `select path_in_schema, dictionary_page_offset, data_page_offset, index_page_offset, total_compressed_size,
            bloom_filter_offset, bloom_filter_length
       from parquet_metadata(${file})`,
  );
  const byField = new Map<number, ByteRange[]>();
  for (const chunk of chunks) {
    const fieldId = fieldOf.get(chunk.path_in_schema);
    if (fieldId === undefined || fieldId === null) return undefined;
    const offsets = [chunk.dictionary_page_offset, chunk.data_page_offset, chunk.index_page_offset]
      .map((offset) => (offset === null ? undefined : Number(offset)))
      .filter((offset): offset is number => offset !== undefined && offset > 0);
    if (offsets.length === 0 || chunk.total_compressed_size === null) return undefined;
    const start = Math.min(...offsets);
    const ranges = byField.get(Number(fieldId)) ?? [];
    ranges.push([start, start + Number(chunk.total_compressed_size)]);
    if (chunk.bloom_filter_offset !== null) {
      // A filter of unknown length cannot be fetched by range, and DuckDB may read it.
      if (chunk.bloom_filter_length === null) return undefined;
      const offset = Number(chunk.bloom_filter_offset);
      ranges.push([offset, offset + Number(chunk.bloom_filter_length)]);
    }
    byField.set(Number(fieldId), ranges);
  }
  let smallest: number | undefined;
  let smallestBytes = Number.POSITIVE_INFINITY;
  for (const [fieldId, ranges] of byField) {
    const bytes = totalBytes(ranges);
    if (bytes < smallestBytes) {
      smallest = fieldId;
      smallestBytes = bytes;
    }
  }
  return { chunks: byField, smallest };
}

function copyRanges(from: string, to: number, ranges: readonly ByteRange[]): void {
  const fd = openSync(from, 'r');
  try {
    for (const [start, end] of ranges) {
      const bytes = Buffer.alloc(end - start);
      let done = 0;
      while (done < bytes.length) {
        const got = readSync(fd, bytes, done, bytes.length - done, start + done);
        if (got === 0) throw new Error(`${from} is shorter than its index says.`);
        done += got;
      }
      writeAll(to, bytes, start);
    }
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}

/** Sorted, overlapping or touching ranges joined; ranges at most `gap` apart joined too. */
export function mergeRanges(ranges: readonly ByteRange[], gap: number): ByteRange[] {
  const sorted = ranges.filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1] + gap) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** The parts of `wanted` not in `present` (present: sorted and merged). */
export function subtract(wanted: readonly ByteRange[], present: readonly ByteRange[]): ByteRange[] {
  const missing: ByteRange[] = [];
  for (const [start, end] of mergeRanges(wanted, 0)) {
    let from = start;
    for (const [have, until] of present) {
      if (until <= from || have >= end) continue;
      if (have > from) missing.push([from, have]);
      from = Math.max(from, until);
      if (from >= end) break;
    }
    if (from < end) missing.push([from, end]);
  }
  return missing;
}

/** Everything in `[0, size)` that is not in `present`. */
export function complement(present: readonly ByteRange[], size: number): ByteRange[] {
  return subtract([[0, size]], mergeRanges(present, 0));
}

function totalBytes(ranges: readonly ByteRange[]): number {
  return ranges.reduce((sum, [start, end]) => sum + (end - start), 0);
}
