import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { inject } from 'vitest';
import { WEB_DIST } from '../../src/platform/http/web-app.ts';
import { webBuildIsCurrent } from '../../web/build-inputs.ts';

/**
 * What every Chromium test file shares: Debian's browser with the flags this machine needs, the
 * screenshots folder, and one build of the web app per test run.
 *
 * CI installs Chromium (.ci/run); on a machine without it the browser tests are skipped, and in
 * CI that is an error rather than a skip.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable && process.env.CI) throw new Error(`Chromium is required in CI at ${CHROMIUM}`);

export const SCREENSHOTS = join(import.meta.dirname, '../../test-artifacts/screenshots');

// No sandbox as root, no GPU, no calls home.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * The page as a PNG in the screenshots folder. A page that fits its window is taken as the
 * window: the same picture, without the full-page capture's resize and second layout (about
 * 0.1 s a shot, issue 15). PNG stays: flat UI colours compress better than JPEG, losslessly.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const fits = await page.evaluate(
    () =>
      document.documentElement.scrollHeight <= window.innerHeight &&
      document.documentElement.scrollWidth <= window.innerWidth,
  );
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: !fits });
}

export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/**
 * Builds the web app as it is now, once per test run, whichever browser test file asks first;
 * the others wait for it. Before, each file built it in its own beforeAll: four builds per run,
 * and a build empties `web/dist` while another file's browser may be loading from it.
 * The run's folder (made by test/global-setup.ts) holds the marker; `mkdir` is the lock.
 */
export async function buildWebAppOnce(): Promise<void> {
  const runFolder = dirname(inject('pgliteSnapshot'));
  const lock = join(runFolder, 'web-build.lock');
  const done = join(runFolder, 'web-build.done');
  let builder = false;
  try {
    mkdirSync(lock);
    builder = true;
  } catch {
    // another file is building it
  }
  if (builder) {
    try {
      // CI builds the app just before the suite (.ci/run), and each engine's run used to build
      // it again: about 10 s of CPU per run for the same files. Built again only when an input
      // changed since.
      if (!webBuildIsCurrent(join(WEB_DIST, 'index.html')))
        await build({ configFile: join(import.meta.dirname, '../../web/vite.config.ts'), logLevel: 'warn' });
      writeFileSync(done, 'ok');
    } catch (error) {
      writeFileSync(done, `failed: ${String(error)}`);
      throw error;
    }
  } else {
    for (let waited = 0; !existsSync(done); waited += 250) {
      if (waited > 300_000)
        throw new Error('the web app build by another test file did not finish in 5 minutes');
      await new Promise((r) => setTimeout(r, 250));
    }
    const outcome = readFileSync(done, 'utf8');
    if (outcome !== 'ok') throw new Error(`the web app build by another test file ${outcome}`);
  }
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error(`no web app in ${WEB_DIST}`);
}
