import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST } from '../../src/platform/http/web-app.ts';
import { claimBody, fileClaim, type usMarketplace } from '../fixtures.ts';
import type { World } from '../harness.ts';
import { type WebhookReceiver, worldWithReceiver } from '../support/webhook-receiver.ts';

/**
 * The admin, safety and insurer screens in Chromium (issue 20): each page's main task, walked by
 * the role that does it, with a screenshot of each step kept in test-artifacts/screenshots.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) throw new Error(`Chromium is required in CI at ${CHROMIUM}`);
const SCREENSHOTS = join(import.meta.dirname, '../../test-artifacts/screenshots');
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
];

let world: World;
let receiver: WebhookReceiver;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];
const browserErrors: string[] = [];

beforeAll(async () => {
  if (!available) return;
  await build({ configFile: join(import.meta.dirname, '../../web/vite.config.ts'), logLevel: 'warn' });
  expect(existsSync(join(WEB_DIST, 'index.html'))).toBe(true);
  mkdirSync(SCREENSHOTS, { recursive: true });
  ({ world, receiver, keys } = await worldWithReceiver());
  base = (await world.app.listen({ port: 0, host: '127.0.0.1' })).replace('127.0.0.1', 'localhost');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}, 180_000);

afterAll(async () => {
  if (!available) return;
  if (browserErrors.length) process.stderr.write(`browser errors:\n${browserErrors.join('\n')}\n`);
  for (const c of contexts) await c.close();
  await browser?.close();
  await world?.close();
  await receiver?.stop();
});

async function signedIn(key: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => browserErrors.push(String(error)));
  page.on('response', (r) => {
    // The app asks who is signed in before anyone is; 401 is the expected answer then.
    const askedWhoBeforeSignIn =
      r.status() === 401 && r.request().method() === 'GET' && new URL(r.url()).pathname === '/v1/session';
    if (r.status() >= 400 && !askedWhoBeforeSignIn)
      browserErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  await page.goto(`${base}/app/`);
  await page.getByLabel('Personal key').fill(key);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

describe.skipIf(!available)('admin, safety and insurer screens in Chromium', () => {
  it('an admin creates a key (its secret shown once), sees it listed, rotates and revokes it', async () => {
    const admin = await signedIn(world.adminKey);
    await admin.getByRole('link', { name: 'API keys' }).click();
    await admin.getByRole('textbox', { name: 'Party id' }).fill('slr_acme');
    await admin.getByRole('textbox', { name: 'Label' }).fill('Acme integration');
    await admin.getByRole('button', { name: 'Create key' }).click();
    const secret = admin.getByTestId('new-secret');
    await secret.waitFor();
    expect(await secret.locator('code').textContent()).toMatch(/^rdk_/);
    await shot(admin, 'admin-api-key-created');
    const row = admin.getByRole('row', { name: /Acme integration/ });
    await row.getByText('active').waitFor();
    await row.getByRole('button', { name: 'Rotate' }).click();
    await expect.poll(() => admin.getByRole('row', { name: /Acme integration/ }).count()).toBe(2);
    // The rotated key waits out its overlap; revoke the new one at once.
    await admin
      .getByRole('row', { name: /Acme integration/ })
      .first()
      .getByRole('button', { name: 'Revoke' })
      .click();
    await admin.getByRole('row', { name: /Acme integration.*revoked/ }).waitFor();
    await shot(admin, 'admin-api-keys');
  });

  it('an admin registers a webhook endpoint, sends a test, reads its delivery and pauses it', async () => {
    const admin = await signedIn(world.adminKey);
    await admin.getByRole('link', { name: 'Webhooks' }).click();
    await admin.getByRole('textbox', { name: 'URL' }).fill(receiver.url);
    await admin.getByRole('textbox', { name: 'Marketplace' }).fill('mkt_us');
    await admin.getByRole('button', { name: 'Register' }).click();
    expect(await admin.getByTestId('new-secret').locator('code').textContent()).toMatch(/^whsec_/);
    await admin.getByRole('button', { name: 'Send test' }).click();
    await admin.getByTestId('test-result').getByText('Test delivered').waitFor();
    expect(receiver.types().at(-1)).toBe('webhook.test');
    await admin.getByRole('button', { name: 'Deliveries' }).click();
    await admin.getByTestId('deliveries').waitFor();
    await shot(admin, 'admin-webhooks');
    await admin.getByRole('button', { name: 'Disable' }).click();
    await admin.getByText('paused').waitFor();
  });

  it('a safety officer codes an uncertain claim; the severe incident it reveals is triaged', async () => {
    await fileClaim(
      world,
      keys.dana,
      claimBody({
        lineId: '2',
        type: 'personal_injury',
        description: 'The strap of the heater cover got wrapped around his neck, he could have died.',
        damages: [
          { kind: 'medical_bills', description: 'Clinic visit', amount: { value: 45_000, currency: 'USD' } },
        ],
      }),
    );
    const officer = await signedIn(keys.agent);
    await officer.getByRole('link', { name: 'Safety' }).click();
    const coding = officer.locator('[data-testid^="coding-"]').first();
    await coding.waitFor();
    await shot(officer, 'safety-hazard-coding');
    await coding.getByRole('combobox', { name: 'Hazard' }).click();
    await officer.getByRole('option', { name: 'strangulation entrapment' }).click();
    await coding.getByRole('combobox', { name: 'Severity' }).click();
    await officer.getByRole('option', { name: 'hospitalisation' }).click();
    await coding.getByRole('button', { name: 'Code' }).click();
    await officer.getByText('Nothing to code.').waitFor();
    const alert = officer.locator('[data-testid^="alert-"]').first();
    await alert.waitFor();
    await shot(officer, 'safety-alerts');
    await alert
      .getByRole('textbox', { name: 'Note or reason' })
      .fill('Asked the seller for the strap design');
    await alert.getByRole('button', { name: 'Monitor' }).click();
    await officer.getByText('No open alerts.').waitFor();
  });

  it('an insurer reads a tendered claim and accepts it with its payment reference', async () => {
    const filed = (
      await fileClaim(
        world,
        keys.eli,
        claimBody({
          orderId: 'ord_2',
          lineId: '1',
          amount: { value: 250_000, currency: 'USD' },
          damages: [
            { kind: 'property_damage', description: 'Sofa', amount: { value: 250_000, currency: 'USD' } },
          ],
          description: 'The heater set fire to the sofa cushions in the living room.',
        }),
      )
    ).body;
    const tendered = await world.request('POST', `/v1/claims/${filed.id}/seller-response`, {
      key: keys.acme,
      body: { action: 'tender' },
    });
    expect(tendered.body.status).toBe('awaiting_insurer');
    const insurer = await signedIn(await world.key('insurer', 'ins_harbor'));
    await insurer.getByRole('heading', { name: 'Tenders' }).waitFor();
    await insurer.getByTestId('tender-due').first().waitFor();
    await insurer.getByRole('row').nth(1).getByRole('button').click();
    await insurer
      .getByTestId('tendered-claim')
      .getByText('The heater set fire to the sofa cushions')
      .waitFor();
    await shot(insurer, 'insurer-tender');
    await insurer.getByText('Accept and pay').click();
    await insurer.getByRole('textbox', { name: 'Payment reference' }).fill('HM-CLM-2026-44812');
    await insurer.getByRole('button', { name: 'Send answer' }).click();
    await insurer.getByText('Payment reference: HM-CLM-2026-44812').waitFor();
    await shot(insurer, 'insurer-tender-accepted');
    const claim = await world.request('GET', `/v1/claims/${filed.id}`);
    expect(claim.body.payer).toBe('insurer');
  });

  it('logged no browser errors and no failed requests', () => {
    expect(browserErrors).toEqual([]);
  });
});
