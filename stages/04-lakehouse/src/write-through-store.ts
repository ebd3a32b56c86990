import type { CachedLakeFiles } from './cached-lake-files.ts';
import type { ObjectStore } from './object-store.ts';

/**
 * The store, with every successful upload also kept in the local cache (`files`): what a
 * command just wrote (an ingest's bronze files, a build's table files) is read back from
 * the disk instead of downloaded again. Objects never change once written (their keys
 * carry an ingest id or a UUID), so the copy cannot go stale; a copy of an upload that a
 * failed commit deletes again is never read (nothing refers to its key).
 *
 * @example
 * const store = writeThroughStore(interruptibleStore(lake.store, interrupt), files);
 */
export function writeThroughStore(store: ObjectStore, files: Pick<CachedLakeFiles, 'remember'>): ObjectStore {
  return {
    ...store,
    put: async (key, localPath) => {
      await store.put(key, localPath);
      await files.remember(key, localPath);
    },
  };
}
