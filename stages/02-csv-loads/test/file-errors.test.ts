import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '@mart/shared/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedInputDir } from '../src/testing/index.ts';

// Each file-level problem must stop `pnpm stage 2 build` with a message naming the file
// (and line/column where they apply), exit non-zero, and leave the warehouse as it was.
describe('stage 2 build: unusable input files', () => {
  const data = tempDir('stage-02-data');
  const env = { MART_DATA_DIR: data.path };
  const warehouse = join(data.path, 'warehouse', 'stage-02.duckdb');
  const fingerprint = () => createHash('sha256').update(readFileSync(warehouse)).digest('hex');
  let before = '';

  beforeAll(() => {
    const run = runCli(['stage', '2', 'build'], env);
    expect(run.status, run.stderr).toBe(0);
    before = fingerprint();
  });
  afterAll(() => data.remove());

  const salesHeader = 'sale_id,line_number,sale_date,customer_id,product_id,store_id,quantity,unit_price';
  const cases: Array<{ name: string; files: Record<string, string | Uint8Array | null>; message: RegExp }> = [
    { name: 'a missing file', files: { 'stores.csv': null }, message: /stores\.csv: file not found/ },
    { name: 'an empty file', files: { 'products.csv': '' }, message: /products\.csv line 1: the file is empty/ },
    {
      name: 'a missing required column',
      files: { 'stores.csv': 'store_id,name,city,channel,opened_date\nS1,A,B,Retail,2020-01-01\n' },
      message: /stores\.csv line 1: missing column "region"/,
    },
    {
      name: 'a wrong delimiter',
      files: { 'sales.csv': `${salesHeader.replaceAll(',', ';')}\nT1;1;2024-01-01;C000001;P00001;S001;1;9.99\n` },
      message: /sales\.csv line 1: the header is separated by semicolons, not commas/,
    },
    {
      name: 'invalid UTF-8',
      files: {
        'customers.csv': Buffer.concat([
          Buffer.from('customer_id,name,email,city,country,segment,signup_date\nC1,Zo'),
          Buffer.from([0xeb]), // "ë" in Latin-1
          Buffer.from(',z@example.com,Oslo,Norway,Consumer,2023-01-01\n'),
        ]),
      },
      message: /customers\.csv line 2, column 6: not valid UTF-8 \(byte 0xeb\)/,
    },
    {
      name: 'a quote never closed',
      files: { 'sales.csv': `${salesHeader}\nT1,1,2024-01-01,C000001,"P00001,S001,1,9.99\n` },
      message: /sales\.csv line 2, column 25: a quoted field starts here and is never closed/,
    },
    {
      name: 'a reject rate above --max-reject-rate',
      files: {
        'sales.csv': `${salesHeader}\nT1,1,2024-01-01,C000001,P00001,S001,1,9.99\nT2,1,2024-01-01,C000001,P00001,S001,x,9.99\n`,
      },
      message: /sales\.csv: 1 of 2 records rejected \(50\.0%\), above the limit of 10\.0%/,
    },
  ];

  for (const { name, files, message } of cases) {
    test(`${name}: exit 1, a message naming it, the warehouse unchanged`, () => {
      const input = seedInputDir(files);
      try {
        const run = runCli(['stage', '2', 'build', '--input', input.path], env);
        expect(run.status).toBe(1);
        expect(run.stderr).toMatch(message);
        expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace for a user error
        expect(fingerprint()).toBe(before);
      } finally {
        input.remove();
      }
    });
  }

  test('the reject-rate limit can be raised, and a bad value is a usage error (exit 2)', () => {
    const input = seedInputDir({
      'sales.csv': `${salesHeader}\nT1,1,2024-01-01,C000001,P00001,S001,1,9.99\nT2,1,2024-01-01,C000001,P00001,S001,x,9.99\n`,
    });
    try {
      expect(runCli(['stage', '2', 'build', '--input', input.path, '--max-reject-rate', 'lots'], env).status).toBe(2);
      const run = runCli(['stage', '2', 'build', '--input', input.path, '--max-reject-rate', '50%'], env);
      expect(run.status, run.stderr).toBe(0);
      expect(fingerprint()).not.toBe(before);
    } finally {
      input.remove();
    }
  });
});
