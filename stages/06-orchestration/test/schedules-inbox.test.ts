import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@mart/shared/testing';
import { afterAll, describe, expect, test } from 'vitest';
import { type InboxHashes, scanInbox } from '../src/schedules/inbox-sensor.ts';

describe('scanInbox', () => {
  const dir = tempDir('stage-06-inbox');
  afterAll(() => dir.remove());

  test('csv files by name, dot names left out; a changed file gets a new run key, an unchanged one keeps its hash', () => {
    const header = 'sale_id,line_number,sale_date,customer_id,product_id,store_id,quantity,unit_price\n';
    writeFileSync(join(dir.path, 'b.csv'), header);
    writeFileSync(join(dir.path, 'a.csv'), `${header}T1,1,2025-01-01,C000012,P00010,S005,2,69.56\n`);
    writeFileSync(join(dir.path, '.half.csv'), header);
    writeFileSync(join(dir.path, 'notes.txt'), 'not a batch');
    const hashes: InboxHashes = new Map();
    const first = scanInbox(dir.path, hashes);
    expect(first.map((file) => file.name)).toEqual(['a.csv', 'b.csv']);
    expect(first[0]?.runKey).toMatch(/^a\.csv@[0-9a-f]{16}$/);

    // Same size, new content and time: hashed again, so a new run key.
    writeFileSync(join(dir.path, 'a.csv'), `${header}T1,1,2025-01-01,C000012,P00010,S005,3,69.56\n`);
    utimesSync(join(dir.path, 'a.csv'), new Date(), new Date(Date.now() + 5000));
    const second = scanInbox(dir.path, hashes);
    expect(second[0]?.runKey).not.toBe(first[0]?.runKey);
    expect(second[1]?.runKey).toBe(first[1]?.runKey);
    // Without the remembered hashes, the same answer.
    expect(scanInbox(dir.path).map((file) => file.runKey)).toEqual(second.map((file) => file.runKey));
  });
});
