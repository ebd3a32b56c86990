import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** Where Chromium or Chrome usually is: Debian/Ubuntu, Fedora, macOS, Windows. */
const knownPaths = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

/**
 * The browser the UI tests drive: MART_CHROMIUM if set, else the first Chromium or Chrome
 * found where they are usually installed, else one playwright downloaded before. A
 * learner's laptop mostly has Chrome already; CI installs Debian's chromium.
 */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): { path: string | undefined; tried: string[] } {
  if (env.MART_CHROMIUM)
    return { path: existsSync(env.MART_CHROMIUM) ? env.MART_CHROMIUM : undefined, tried: [env.MART_CHROMIUM] };
  const downloaded = (() => {
    try {
      return chromium.executablePath();
    } catch {
      return undefined;
    }
  })();
  const tried = downloaded ? [...knownPaths, downloaded] : knownPaths;
  return { path: tried.find((path) => existsSync(path)), tried };
}
