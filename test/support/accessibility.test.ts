import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAxeViolations } from './accessibility.ts';
import { chromiumAvailable, launchChromium } from './chromium.ts';

/** The check every Chromium test relies on must be able to fail: a page with known faults. */
let browser: Awaited<ReturnType<typeof launchChromium>>;
beforeAll(async () => {
  if (chromiumAvailable) browser = await launchChromium();
});
afterAll(() => browser?.close());

describe.skipIf(!chromiumAvailable)('the accessibility check', () => {
  it('reports serious and critical violations, and nothing on a sound page', async () => {
    const page = await browser.newPage();
    await page.setContent(
      '<html lang="en"><title>t</title><main><img src="data:,"><button></button></main></html>',
    );
    const found = await seriousAxeViolations(page, 'faulty');
    expect(found.some((v) => v.startsWith('faulty: image-alt (critical'))).toBe(true);
    expect(found.some((v) => v.startsWith('faulty: button-name (critical'))).toBe(true);
    // A second check on the same document reuses the loaded axe and finds the same.
    expect(await seriousAxeViolations(page, 'faulty')).toEqual(found);

    await page.setContent(
      '<html lang="en"><title>t</title><main><h1>Claims</h1><img src="data:," alt="A kettle"><button>File</button></main></html>',
    );
    expect(await seriousAxeViolations(page, 'sound')).toEqual([]);
    // What another file answers for can be left out.
    await page.setContent(
      '<html lang="en"><title>t</title><header><img src="data:,"></header><main>ok</main></html>',
    );
    expect(await seriousAxeViolations(page, 'layout', { exclude: [['header']] })).toEqual([]);
    await page.close();
  });
});
