import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { log } from '@clack/prompts';
import {
  countOf,
  createS3Client,
  defineCommand,
  describeLakeConfig,
  embeddedCredentials,
  ensureBucket,
  positiveInteger,
  quoteIdentifier,
  quoteLiteral,
  readLakeConfig,
  renderTable,
  startEmbeddedS3,
  UsageError,
} from '@mart/shared';
import { collectGarbage } from '../collect-garbage.ts';
import { catalogAlias, openLakeSession } from '../ducklake/lake-session.ts';
import { catalogPath, lakePrefix, NoCatalogError, openLake } from '../open-lake.ts';
import { resetLake } from '../reset-lake.ts';
import { settleAll } from '../transfer-limit.ts';

const subcommands = ['up', 'ls', 'gc', 'pull', 'reset'] as const;

/** How many keys gc prints; the count says how many more there are. */
const keysShown = 20;

export const lake = defineCommand({
  description:
    'The object store itself: up (run the embedded S3 server), ls [prefix], gc, pull DIR, reset (delete the whole lake).',
  usage: '<up|ls|gc|pull|reset> [prefix|DIR]',
  options: {
    port: { type: 'string', valueName: 'N', description: 'With up: the port to listen on.', default: '4568' },
    'dry-run': { type: 'boolean', description: 'With gc: list what would be deleted, delete nothing.' },
    yes: { type: 'boolean', description: 'With reset: do not ask, delete straight away.' },
  },
  examples: [
    'pnpm stage 4 lake up',
    'pnpm stage 4 lake ls bronze/sales/',
    'pnpm stage 4 lake gc --dry-run',
    'pnpm stage 4 lake pull /tmp/my-lake',
    'pnpm stage 4 lake reset',
  ],
  async run(context) {
    const { options, positionals, io, paths, env, color } = context;
    const output = io.output;
    const [sub, argument] = positionals;
    if (!subcommands.includes(sub as (typeof subcommands)[number])) {
      throw new UsageError(`Say what to do with the lake: ${subcommands.join(', ')}.`, {
        hint: 'pnpm stage 4 lake ls',
      });
    }
    if (sub === 'reset') return resetLake(context, { yes: options.yes });
    if (sub === 'up') {
      const port = positiveInteger(options.port, 'port') ?? 4568;
      const server = await startEmbeddedS3({ port, directory: join(paths.lake(), 's3') });
      const config = { ...readLakeConfig(env, paths.root), ...embeddedCredentials };
      // Clients pointed at this server find the bucket ready.
      const client = createS3Client(config, server.endpoint);
      await ensureBucket(client, config.bucket);
      client.destroy();
      log.success(
        `Embedded S3 server at ${server.endpoint}, data in ${paths.shown(server.directory)}. Ctrl-C stops it.`,
        { output },
      );
      log.info(
        `Other S3 clients: endpoint ${server.endpoint}, bucket ${config.bucket}, access key S3RVER, secret S3RVER, path-style URLs.\n` +
          `Other stage 4 commands can use it: MART_S3_ENDPOINT=${server.endpoint} pnpm stage 4 lake ls`,
        { output },
      );
      await new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      await server.close();
      return 0;
    }

    const opened = await openLake(context, sub === 'ls' ? {} : { catalog: 'read' }).catch((error: unknown) => {
      // gc and pull on a lake that has no catalog yet have nothing to do. Only that: the
      // bucket is connected first, so an S3 problem is reported as the error it is.
      if (sub !== 'ls' && error instanceof NoCatalogError) return undefined;
      throw error;
    });
    if (!opened) {
      log.info('The lake has no catalog yet: nothing to do. Run pnpm stage 4 ingest && pnpm stage 4 build.', {
        output,
      });
      return 0;
    }
    try {
      if (sub === 'ls') {
        const objects = await opened.store.list(argument ?? '');
        const bytes = objects.reduce((sum, object) => sum + object.size, 0);
        if (objects.length > 0) log.message(renderTable(objects, { compact: true, color }), { output });
        log.info(
          `${countOf(objects.length, 'object')}, ${countOf(bytes, 'byte')} under ${opened.store.urlPrefix}${argument ?? ''} (${describeLakeConfig(opened.storage.config)})`,
          { output },
        );
        return 0;
      }
      if (sub === 'gc') {
        const result = await collectGarbage(opened, { dryRun: options['dry-run'] });
        const more = result.keys.length - keysShown;
        const listed = result.keys.slice(0, keysShown).join('\n');
        log.success(
          `${options['dry-run'] ? 'Would delete' : 'Deleted'} ${countOf(result.keys.length, 'unreferenced object')} (${countOf(result.bytes, 'byte')}).${listed ? `\n${listed}` : ''}${more > 0 ? `\n… and ${countOf(more, 'more object')}` : ''}`,
          { output },
        );
        return 0;
      }
      // pull
      if (!argument) throw new UsageError('Say where to pull the lake to: pnpm stage 4 lake pull DIR');
      const dir = paths.resolve(argument);
      const objects = await opened.store.list(lakePrefix);
      // All at once: the store keeps at most MART_S3_CONCURRENCY (default 8) downloads in flight.
      await settleAll(
        objects.map((object) =>
          opened.store.get(object.key, join(dir, 'data', ...object.key.slice(lakePrefix.length).split('/'))),
        ),
      );
      opened.session?.close();
      mkdirSync(dir, { recursive: true });
      const copyPath = join(dir, 'catalog.duckdb');
      copyFileSync(catalogPath(paths), copyPath);
      // The copy keeps its data beside it: a relative data path, as the extension writes.
      const copy = await openLakeSession(copyPath);
      try {
        await copy.db.run(
          `update ${quoteIdentifier(catalogAlias)}.ducklake_metadata set "value" = 'data/' where "key" = 'data_path'`,
        );
      } finally {
        copy.close();
      }
      log.success(`Pulled the catalog and ${countOf(objects.length, 'data file')} into ${paths.shown(dir)}/.`, {
        output,
      });
      // No DATA_PATH option: the extension refuses one that differs from the stored data
      // path, and the stored relative `data/` resolves beside the catalog file.
      log.info(
        `With DuckDB and its ducklake extension (data/ resolves beside the catalog):\n  ATTACH ${quoteLiteral(`ducklake:${copyPath}`)} AS lake;\n  SELECT * FROM lake.gold.revenue_by_month;`,
        { output },
      );
      return 0;
    } finally {
      await opened.close();
    }
  },
});
