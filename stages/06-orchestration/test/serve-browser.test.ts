// The live pages in a real browser: Debian's chromium (or MART_CHROMIUM), headless,
// driven by playwright-core, against the real CLI's `serve` in another process. The test
// process writes runs into the same SQLite file (as a materialize in a third terminal
// would) and waits for the page's DOM to show them: no reload, no fixed sleeps.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SpawnedCli, spawnCli, tempDir } from '@mart/shared/testing';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RunStorage } from '../src/storage/index.ts';
import { findBrowser } from './helpers/find-browser.ts';

const evil = '<script>alert(1)</script>';
const browserFound = findBrowser();
// Headless as root on a closed network (see DESIGN.md, "facts measured").
const flags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const wait = { timeout: 60_000 };

const data = tempDir('stage-06-serve-browser');
const profile = mkdtempSync(join(tmpdir(), 'mart-chromium-profile-'));
let cli: SpawnedCli;
let browser: BrowserContext;
let url: string;
/** Why the browser or server did not start: every test fails with it (a missing browser is never a skip). */
let setupError: Error | undefined;

async function launch(): Promise<BrowserContext> {
  const hint =
    'The browser test needs Chromium: `apt-get update && apt-get install -y chromium` (Debian/Ubuntu), ' +
    'or set MART_CHROMIUM to a Chromium or Chrome binary.';
  const executablePath = browserFound.path;
  if (!executablePath)
    throw new Error(`No Chromium or Chrome found (looked at ${browserFound.tried.join(', ')}). ${hint}`);
  try {
    // A persistent context is how playwright takes a user-data-dir: a fresh one per run.
    return await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: flags });
  } catch (error) {
    throw new Error(`Chromium at ${executablePath} did not start: ${(error as Error).message}\n${hint}`);
  }
}

beforeAll(async () => {
  cli = spawnCli(['stage', '6', 'serve', '--port', '0'], { MART_DATA_DIR: data.path });
  try {
    const [browserContext] = await Promise.all([launch(), cli.waitFor(/http:\/\/127\.0\.0\.1:\d+\//)]);
    browser = browserContext;
    url = cli.output().match(/http:\/\/127\.0\.0\.1:\d+\//)?.[0] ?? '';
  } catch (error) {
    setupError = error as Error;
  }
});

afterAll(async () => {
  await browser?.close();
  cli?.child.kill('SIGINT');
  await cli?.exited;
  data.remove();
  rmSync(profile, { recursive: true, force: true });
});

/** A page that records reloads, script errors and alert() calls. */
async function openPage(path: string): Promise<{ page: Page; loads: () => number; problems: string[] }> {
  if (setupError) throw setupError;
  const page = await browser.newPage();
  let loads = 0;
  const problems: string[] = [];
  page.on('load', () => {
    loads += 1;
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(new URL(path, url).href);
  return { page, loads: () => loads, problems };
}

const statusOf = (page: Page, runId: string, status: string) =>
  page.locator(`tr[data-run-id="${runId}"] td.status`).filter({ hasText: new RegExp(`^${status}$`) });

test('the runs page shows a new run and its status changes live, without a reload', async () => {
  const { page, loads, problems } = await openPage('/runs');
  await page.getByText('no runs yet: pnpm stage 6 materialize').waitFor(wait);
  await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));

  // The storage is created now, by another process than the server's, while the page is open.
  const storage = RunStorage.open({ path: join(data.path, 'runs', 'runs.db') });
  try {
    const run = storage.createRun({ selection: 'lake/bronze/sales', assetKeys: ['lake/bronze/sales'] });
    storage.startRun(run.id);
    await statusOf(page, run.id, 'STARTED').waitFor(wait);
    storage.stepStarted(run.id, 'lake/bronze/sales');
    storage.recordMaterialization({ runId: run.id, assetKey: 'lake/bronze/sales', rows: 7 });
    storage.stepSucceeded(run.id, 'lake/bronze/sales');
    storage.finishRun(run.id, 'SUCCESS');
    await statusOf(page, run.id, 'SUCCESS').waitFor(wait);
    await page.locator(`tr[data-run-id="${run.id}"]`).getByText('1/1 done').waitFor(wait);
  } finally {
    storage.close();
  }
  expect(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument)).toBe(true);
  expect(loads()).toBe(1);
  expect(problems).toEqual([]);
  await page.close();
});

test('one run’s page follows its steps and timeline live, and shows messages as text', async () => {
  const storage = RunStorage.open({ path: join(data.path, 'runs', 'runs.db') });
  try {
    const run = storage.createRun({ selection: `key:${evil}`, assetKeys: ['lake/bronze/stores', `dbt/${evil}`] });
    storage.startRun(run.id);
    const { page, loads, problems } = await openPage('/runs');
    await page.locator(`tr[data-run-id="${run.id}"] a`).click();
    await page
      .locator('#run-status')
      .filter({ hasText: /^STARTED$/ })
      .waitFor(wait);
    const loadsBefore = loads();

    storage.stepStarted(run.id, 'lake/bronze/stores');
    storage.stepSucceeded(run.id, 'lake/bronze/stores');
    await page
      .locator('#steps tr[data-asset="lake/bronze/stores"] td.status')
      .filter({ hasText: /^SUCCESS$/ })
      .waitFor(wait);
    storage.stepStarted(run.id, `dbt/${evil}`);
    storage.stepFailed(run.id, `dbt/${evil}`, { error: `bad model ${evil}` });
    storage.finishRun(run.id, 'FAILURE', `1 asset failed: ${evil}`);
    await page
      .locator('#run-status')
      .filter({ hasText: /^FAILURE$/ })
      .waitFor(wait);
    await page.locator('#timeline tr.RUN_FAILURE').waitFor(wait);

    // The messages are on the page as text; no element came from them, no script ran.
    await page
      .locator('#steps td.message')
      .filter({ hasText: `bad model ${evil}` })
      .waitFor(wait);
    expect(await page.locator('#steps td.key').allTextContents()).toEqual(['lake/bronze/stores', `dbt/${evil}`]);
    expect(await page.locator('main script').count()).toBe(0);
    expect(await page.locator('#summary').textContent()).toContain(`1 asset failed: ${evil}`);
    expect(loads()).toBe(loadsBefore);
    expect(problems).toEqual([]);
    await page.close();
  } finally {
    storage.close();
  }
});

test('the assets and lineage pages render in the browser', async () => {
  const { page, problems } = await openPage('/');
  await page.locator('svg.graph g.node').first().waitFor(wait);
  expect(await page.locator('svg.graph path.edge').count()).toBeGreaterThan(10);
  await page
    .locator('#assets tr[data-asset="lake/bronze/sales"] td.status')
    .filter({ hasText: /^fresh/ })
    .waitFor(wait);
  await page.getByRole('link', { name: 'Lineage' }).click();
  await page.getByText('No lineage events yet').waitFor(wait);
  expect(problems).toEqual([]);
  await page.close();
});
