import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { courseCommand } from '@mart/shared/testing';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const peakRssPreload = fileURLToPath(new URL('../child-peak-rss.ts', import.meta.url));

/** Options for {@link runCourseCli}. */
export interface CourseCliOptions {
  /** The command's data folder (`MART_DATA_DIR`): a fresh one per run of a side. */
  dataDir: string;
  /** Where the child writes its peak RSS before it exits; deleted once read. */
  rssFile: string;
}

/** How one command went. */
export interface CourseCliRun {
  /** The command's peak RSS, in KiB (see child-peak-rss.ts). */
  peakRssKib: number;
}

/**
 * Runs one course command as a learner types it (`pnpm stage 6 materialize`), but without
 * pnpm in front: the same command line the root package.json runs (`courseCommand`), as
 * the stage tests spawn it. Its environment is this process's
 * without any `MART_*` variable (a learner's lake, test hooks or lineage URL), then the
 * data folder and an empty `MART_S3_ENDPOINT`: the embedded S3 server, whatever a `.env`
 * says. Rejects with the end of its output when it exits with anything but 0.
 *
 * @example
 * const { peakRssKib } = await runCourseCli(['stage', '4', 'build'], { dataDir, rssFile });
 */
export function runCourseCli(args: readonly string[], options: CourseCliOptions): Promise<CourseCliRun> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('MART_')),
  );
  Object.assign(env, {
    MART_DATA_DIR: options.dataDir,
    MART_S3_ENDPOINT: '',
    MART_BENCH_PEAK_RSS_FILE: options.rssFile,
    NO_COLOR: '1',
  });
  const command = courseCommand(args, [peakRssPreload]);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, command, { cwd: repo, env, stdio: 'pipe' });
    child.stdin.end();
    // Kept for the error message only: the commands' progress is not the benchmark's output.
    let output = '';
    const keep = (chunk: string) => {
      output = (output + chunk).slice(-8000);
    };
    child.stdout.setEncoding('utf8').on('data', keep);
    child.stderr.setEncoding('utf8').on('data', keep);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        reject(new Error(`pnpm ${args.join(' ')} ${how}:\n${output.trim()}`));
        return;
      }
      try {
        const peakRssKib = Number(readFileSync(options.rssFile, 'utf8'));
        rmSync(options.rssFile, { force: true });
        resolve({ peakRssKib });
      } catch (error) {
        reject(error);
      }
    });
  });
}
