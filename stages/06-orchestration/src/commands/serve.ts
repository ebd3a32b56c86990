import { log } from '@clack/prompts';
import { defineCommand, UsageError } from '@mart/shared';
import { startUiServer } from '../serve/ui-server.ts';

export const serve = defineCommand({
  description:
    'A local, read-only web UI: the asset graph, the runs (live while one runs), one run’s timeline, lineage.',
  options: {
    port: {
      type: 'string',
      short: 'p',
      valueName: 'N',
      description: 'The port on 127.0.0.1 (0: any free port).',
      default: '3006',
    },
  },
  examples: ['pnpm stage 6 serve', 'pnpm stage 6 serve --port 8080', 'pnpm stage 6 serve --port 0'],
  async run(context) {
    const output = context.io.output;
    const raw = context.options.port;
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new UsageError(`--port must be a whole number from 0 to 65535, not "${raw}".`);
    }
    let server: Awaited<ReturnType<typeof startUiServer>>;
    try {
      server = await startUiServer({
        context,
        port,
        onError: (error) => log.error(`A request failed: ${error instanceof Error ? error.message : String(error)}`),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new UsageError(`Port ${port} is in use.`, { hint: 'Pick another: --port 8080, or --port 0 for any.' });
      }
      throw error;
    }
    log.success(`Mini Data Mart UI at ${server.url} (read-only). Ctrl-C stops it.`, { output });
    // Ctrl-C (or a kill) ends the command normally: the server closes, exit code 0.
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.close();
    log.info('UI stopped.', { output });
    return 0;
  },
});
