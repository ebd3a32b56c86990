import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runCliAsync, spawnCli, tempDir } from '@mart/shared/testing';
import { afterAll, describe, expect, test } from 'vitest';

/** A loopback port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

// `pnpm stage 4 lake up`: the embedded server in the foreground, for other S3 clients —
// here, the stage's own commands pointed at it with MART_S3_ENDPOINT.
describe('lake up', () => {
  const data = tempDir('stage-04-lake-up');
  afterAll(() => data.remove());

  test('serves the bucket until Ctrl-C; other commands use it through MART_S3_ENDPOINT', async () => {
    const port = await freePort();
    const server = spawnCli(['stage', '4', 'lake', 'up', '--port', String(port)], {
      MART_DATA_DIR: data.path,
      MART_S3_ENDPOINT: '',
    });
    try {
      // The moment it prints that it is ready: an output event, not a polling loop.
      await server.waitFor('Ctrl-C stops it', 30_000);
      expect(server.stdout()).toContain(`Embedded S3 server at http://127.0.0.1:${port}`);
      // Every line says something: no stray punctuation-only lines.
      for (const line of server.stdout().split('\n')) expect(line.replace(/[│\s]/g, ''), line).not.toMatch(/^[.,;:]+$/);
      const endpoint = { MART_DATA_DIR: data.path, MART_S3_ENDPOINT: `http://127.0.0.1:${port}` };
      // The bucket exists already: ingest lands its objects in this server's folder.
      const ingest = await runCliAsync(['stage', '4', 'ingest'], endpoint);
      expect(ingest.status, ingest.stderr).toBe(0);
      const ls = await runCliAsync(['stage', '4', 'lake', 'ls', 'bronze/_ingests/'], endpoint);
      expect(ls.status).toBe(0);
      expect(ls.stdout).toMatch(/1 object, [\d,]+ bytes under s3:\/\/mart-lake\/bronze\/_ingests\//);
      expect(existsSync(join(data.path, 'lake', 's3', 'mart-lake'))).toBe(true);
    } finally {
      server.child.kill('SIGINT');
    }
    const { code } = await server.exited;
    expect(code).toBe(0);
  });
});
