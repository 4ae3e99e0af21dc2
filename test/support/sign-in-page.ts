import type { Browser, BrowserContext, Page, Response } from 'playwright-core';

/**
 * Opens the app's sign-in page. On the shared CI machine, with the suite running beside it, the
 * very first load of the app in a fresh browser has stalled past a minute (seen twice on the
 * PostgreSQL run, never when the file runs alone): the page is reloaded rather than waited on, up
 * to three times, and the test still fails if the form never shows.
 */
export async function openSignInPage(page: Page, url: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.goto(url);
    try {
      await page.getByLabel('Personal key').waitFor({ timeout: 20_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/**
 * A person in their own browser profile, signed in with their personal key: what every Chromium
 * test file starts a walk with. Page errors and failed requests are recorded in `errors` (each
 * file asserts it empty at the end), except the app asking who is signed in before anyone is (a
 * GET of /v1/session answered 401) and whatever `expected` names.
 */
export async function signedInPage(
  browser: Browser,
  appUrl: string,
  key: string,
  options: {
    errors: string[];
    /** Every context made, for the file to close. */
    contexts: BrowserContext[];
    viewport?: { width: number; height: number };
    /** The page's clock pinned here: deadlines count down from the server's (test) clock. */
    clockAt?: Date;
    /** Responses of 400 and above that are an answer, not a failure. */
    expected?: (response: Response) => boolean;
    /** More listeners, attached before the app loads (e.g. console messages). */
    watch?: (page: Page) => void;
  },
): Promise<Page> {
  const { errors } = options;
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 } });
  // Playwright waits 30 s by default; a shared CI machine running the suite beside it can need more.
  context.setDefaultTimeout(60_000);
  options.contexts.push(context);
  if (options.clockAt) await context.clock.setFixedTime(options.clockAt);
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('response', (r) => {
    const askedWhoBeforeSignIn =
      r.status() === 401 && r.request().method() === 'GET' && new URL(r.url()).pathname === '/v1/session';
    if (r.status() >= 400 && !askedWhoBeforeSignIn && !options.expected?.(r))
      errors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  options.watch?.(page);
  await openSignInPage(page, appUrl);
  await page.getByLabel('Personal key').fill(key);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}
