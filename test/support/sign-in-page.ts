import type { Browser, BrowserContext, Page, Response } from 'playwright-core';

export type Viewport = { width: number; height: number };
export const DESKTOP: Viewport = { width: 1280, height: 900 };
export const PHONE: Viewport = { width: 390, height: 844 };

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
    viewport?: Viewport;
    /** The page's clock pinned here: deadlines count down from the server's (test) clock. */
    clockAt?: Date;
    /** Responses of 400 and above that are an answer, not a failure. */
    expected?: (response: Response) => boolean;
    /** More listeners, attached before the app loads (e.g. console messages). */
    watch?: (page: Page) => void;
  },
): Promise<Page> {
  const { errors } = options;
  const context = await browser.newContext({ viewport: options.viewport ?? DESKTOP });
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

/**
 * Each person signed in once per test file, through the form, and their page handed to every
 * later walk of theirs: a new browser profile, the app's first load and the sign-in form cost
 * about 3 s a test (issue 15), and the form is walked once per person all the same.
 *
 * A later walk gets the page as the last one left it and starts from the navigation, or from
 * `at` (a path under the app, '/' for the person's home page), which reopens the app there with
 * their session cookie, as a person coming back does. A different `viewport` resizes the page and
 * reopens the app, so every screen mounts at the new width as it would on that device.
 */
export function signInOnce(
  signIn: (key: string, viewport: Viewport) => Promise<Page>,
  /** The app's address without the trailing slash, known once the server listens. */
  appUrl: () => string,
): (key: string, options?: { viewport?: Viewport; at?: string }) => Promise<Page> {
  const pages = new Map<string, Page>();
  return async (key, { viewport = DESKTOP, at } = {}) => {
    let page = pages.get(key);
    if (!page) {
      page = await signIn(key, viewport);
      pages.set(key, page);
    } else {
      const size = page.viewportSize();
      if (size?.width !== viewport.width || size.height !== viewport.height) {
        await page.setViewportSize(viewport);
        at ??= '/';
      }
    }
    if (at !== undefined) {
      await page.goto(`${appUrl()}${at}`);
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
    }
    return page;
  };
}
