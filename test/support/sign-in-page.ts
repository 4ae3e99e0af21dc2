import type { Page } from 'playwright-core';

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
