/**
 * The file-system errors that are the machine's, not a bug of ours: a file where a
 * folder should be, no permission, a full disk. Each gets a sentence and what to do.
 */
const explanations: Record<string, { what: string; hint: string }> = {
  ENOTDIR: {
    what: 'part of that path is a file, not a folder',
    hint: 'Move that file out of the way, or set MART_DATA_DIR to another folder.',
  },
  EISDIR: { what: 'it is a folder, where a file was expected', hint: 'Move that folder out of the way.' },
  EEXIST: { what: 'something already exists there', hint: 'Move it out of the way, then run the command again.' },
  EACCES: {
    what: 'permission denied',
    hint: "Check the folder's permissions, or set MART_DATA_DIR to a folder you can write.",
  },
  EPERM: {
    what: 'the operation is not permitted',
    hint: "Check the folder's permissions, or set MART_DATA_DIR to a folder you can write.",
  },
  EROFS: { what: 'the file system is read-only', hint: 'Set MART_DATA_DIR to a folder on a writable disk.' },
  ENOSPC: {
    what: 'the disk is full',
    hint: "Free some space (`pnpm stage N clean` removes a stage's outputs), then run the command again.",
  },
  EMFILE: { what: 'too many files are open', hint: 'Close other programs or raise the limit (`ulimit -n`).' },
};

/**
 * A sentence and a hint for a Node system error on a path we know how to explain, or
 * undefined for anything else (which stays "a bug in Mini Data Mart").
 *
 * @example
 * describeSystemError(Object.assign(new Error(), { code: 'ENOTDIR', syscall: 'mkdir', path: '/d/lake/s3' }))
 * // → { message: 'Cannot mkdir /d/lake/s3: part of that path is a file, not a folder (ENOTDIR).', hint: '…' }
 */
export function describeSystemError(error: unknown): { message: string; hint: string } | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, syscall, path } = error as NodeJS.ErrnoException;
  const known = code ? explanations[code] : undefined;
  if (!known || !path) return undefined;
  return { message: `Cannot ${syscall ?? 'use'} ${path}: ${known.what} (${code}).`, hint: known.hint };
}
