import { existsSync } from 'node:fs';
import { RunStorage } from '../storage/run-storage.ts';

/**
 * The UI's one connection to the run storage, opened on first use once the file exists
 * (a UI started before any run must not create data/runs/runs.db: it only reads).
 * SQLite in WAL mode gives each statement the newest committed data, so a run writing
 * from another process shows up on the next poll without reopening.
 *
 * @example
 * const reader = new StorageReader(runStoragePath(paths));
 * const runs = reader.read((storage) => storage.runs(), []);
 */
export class StorageReader {
  #storage: RunStorage | undefined;

  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  /** Whether there is a run storage yet. */
  exists(): boolean {
    return this.#storage !== undefined || existsSync(this.path);
  }

  /** `fn` over the storage, or `missing` when there is no runs.db yet. */
  read<T>(fn: (storage: RunStorage) => T, missing: T): T {
    if (!this.#storage) {
      if (!existsSync(this.path)) return missing;
      this.#storage = RunStorage.open({ path: this.path });
    }
    return fn(this.#storage);
  }

  close(): void {
    this.#storage?.close();
    this.#storage = undefined;
  }
}
