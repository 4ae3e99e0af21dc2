import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBody, fileClaim, usMarketplace } from '../fixtures.ts';
import { createWorld, type World } from '../harness.ts';
import { seriousAxeViolations } from '../support/accessibility.ts';
import { buildWebAppOnce, chromiumAvailable, launchChromium, screenshot } from '../support/chromium.ts';
import { PHONE, signedInPage, signInOnce } from '../support/sign-in-page.ts';
import { multipart, png } from '../support/uploads.ts';

/**
 * The agent's main story in Chromium (issue 19), on a desk and on a 390 px phone: the queues
 * with their counts, search, take a claim, read the seller's defence beside the claim, ask the
 * claimant for information, decide another with a confirmation. Every page is screenshotted to
 * test-artifacts/screenshots and checked with axe-core (no serious or critical violation).
 */
type Keys = Awaited<ReturnType<typeof usMarketplace>>;
let world: World;
let keys: Keys;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];
const browserErrors: string[] = [];
const axeViolations: string[] = [];
/** Two disputed claims: Eli's kettle (its seller's lab test attached) and Dana's heater. */
let eli: { id: string; number: string };
let dana: { id: string; number: string };

const DEFENSE = 'Lab test of the returned unit attached: the thermal cut-out trips at 105 °C as designed.';

async function disputedClaim(customerKey: string, body: Record<string, unknown>, evidence: boolean) {
  const filed = await fileClaim(world, customerKey, claimBody(body));
  expect(filed.body.status, JSON.stringify(filed.body)).toBe('awaiting_seller');
  const evidenceIds: string[] = [];
  if (evidence) {
    const uploaded = await world.request('POST', `/v1/claims/${filed.body.id}/evidence?purpose=defense`, {
      key: keys.acme,
      ...multipart('lab-test.png', png(), 'image/png'),
    });
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    evidenceIds.push(uploaded.body.id);
  }
  const answered = await world.request('POST', `/v1/claims/${filed.body.id}/seller-response`, {
    key: keys.acme,
    body: { action: 'dispute', defense: DEFENSE, evidenceIds },
  });
  expect(answered.body.status, JSON.stringify(answered.body)).toBe('under_review');
  return { id: filed.body.id as string, number: filed.body.claimNumber as string };
}

beforeAll(async () => {
  if (!chromiumAvailable) return;
  await buildWebAppOnce();
  world = await createWorld();
  keys = await usMarketplace(world);
  await world.request('PUT', '/v1/experts/exp_lee', {
    body: { marketplaceId: 'mkt_us', organisation: 'Veritas Claims Investigation', name: 'J. Lee' },
  });
  eli = await disputedClaim(
    keys.eli,
    { orderId: 'ord_2', amount: { value: 300_000, currency: 'USD' } },
    true,
  );
  dana = await disputedClaim(keys.dana, { lineId: '2', amount: { value: 250_000, currency: 'USD' } }, false);
  base = (await world.app.listen({ port: 0, host: '127.0.0.1' })).replace('127.0.0.1', 'localhost');
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  if (!chromiumAvailable) return;
  if (browserErrors.length) process.stderr.write(`browser errors:\n${browserErrors.join('\n')}\n`);
  for (const c of contexts) await c.close();
  await browser?.close();
  await world?.close();
});

/** The agent signed in once for the file (see signInOnce), on the desk and then on the phone. */
const signedIn = signInOnce(
  (key, viewport) =>
    signedInPage(browser, `${base}/app/`, key, {
      errors: browserErrors,
      contexts,
      viewport,
      // Deadlines count down from the server's (test) clock, not the machine's.
      clockAt: world.clock.now(),
      // A claim nobody contested answers its contest with 404: the contest card reads that as "none".
      expected: (r) => r.status() === 404 && new URL(r.url()).pathname.endsWith('/contest'),
    }),
  () => `${base}/app`,
);

/** axe-core on the page as it stands: serious and critical violations are kept to assert on. */
async function checkAccessibility(page: Page, name: string): Promise<void> {
  // The header and the navigation are the layout's (checked by web-app.test.ts); this file
  // answers for the console and the claim page, modals included.
  axeViolations.push(...(await seriousAxeViolations(page, name, { exclude: [['header'], ['nav']] })));
}

/** A screenshot kept as a test artifact, and the page's accessibility check. */
async function shot(page: Page, name: string): Promise<void> {
  await page.mouse.move(0, 0); // a control under the pointer shows its hover colour, not its own
  await screenshot(page, name);
  await checkAccessibility(page, name);
}

/** How far the page's content reaches past the window sideways (0: no sideways scroll). */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Status badges whose words do not fit their box (cut to "AW…"). */
const cutStatuses = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid="claim-status"]')]
      .filter((b) => b.offsetParent !== null)
      .flatMap((b) => {
        const label = (b.querySelector('span') ?? b) as HTMLElement;
        return label.scrollWidth > label.clientWidth + 1 || b.scrollWidth > b.clientWidth + 1
          ? [b.textContent]
          : [];
      }),
  );

describe.skipIf(!chromiumAvailable)("the agent's console in Chromium", { timeout: 150_000 }, () => {
  it('lands on the disputed queue with counts, searches, takes a claim, reads the defence, asks for information', async () => {
    const agent = await signedIn(keys.agent);
    // Both disputes wait for a person: the console opens on their queue, every queue counted.
    const disputed = agent.getByRole('radio', { name: 'Disputed (2)' });
    await disputed.waitFor({ state: 'attached' });
    expect(await disputed.isChecked()).toBe(true);
    await agent.getByRole('radio', { name: 'Needs review (0)' }).waitFor({ state: 'attached' });
    await agent.getByRole('radio', { name: 'Unassigned (2)' }).waitFor({ state: 'attached' });
    const table = agent.getByTestId('claims-table');
    await table.getByRole('link', { name: eli.number }).waitFor();
    // Names, never id fragments: customer, product and seller, the amount with its currency.
    const eliRow = table.getByRole('row', { name: new RegExp(eli.number) });
    for (const text of ['Eli Park', 'Acme Home', '$3,000.00', 'under review']) {
      expect(await eliRow.textContent()).toContain(text);
    }
    expect(await eliRow.getByTestId('due').textContent()).toMatch(
      /^due \w{3} \d{1,2} \w{3}, \d{1,2}:\d\d [AP]M · (\d+ min|\d+ h|\d+ days?) (left|overdue)$/,
    );
    expect(await cutStatuses(agent)).toEqual([]);
    await shot(agent, 'agent-console-queues');

    // Search is the API's: the claimant's name finds their claim (through the blind index).
    await agent.getByRole('textbox', { name: 'Search' }).fill('Eli Park');
    await agent.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => table.getByRole('row').count()).toBe(2); // the header and Eli's claim
    await shot(agent, 'agent-console-search');

    await agent.getByRole('button', { name: `Take ${eli.number}` }).click();
    await agent.getByRole('radio', { name: 'Mine (1)' }).waitFor({ state: 'attached' });
    await expect.poll(() => agent.getByRole('button', { name: `Take ${eli.number}` }).count()).toBe(0);
    // The owner filter lists what this agent took.
    await agent.locator('label', { hasText: /^Mine \(1\)$/ }).click();
    await table.getByRole('link', { name: eli.number }).waitFor();

    await table.getByRole('link', { name: eli.number }).click();
    await agent.waitForURL(/\/app\/claims\/clm_/);
    expect(await agent.getByTestId('claim-title').textContent()).toContain('Eli Park');
    // The seller's defence and its evidence beside what the claimant says.
    const answer = agent.getByTestId('seller-answer');
    await answer.getByText(DEFENSE).waitFor();
    await answer.getByRole('link', { name: 'lab-test.png' }).waitFor();
    expect(await agent.getByTestId('owner').textContent()).not.toContain('Nobody');
    // The review's due time in plain words, the zone on hover.
    expect(await agent.getByTestId('due').first().textContent()).toMatch(/^Review due \w{3} \d{1,2} \w{3}/);
    // Nothing is pre-selected; the server's actions are the box's choices.
    const outcome = agent.getByRole('combobox', { name: 'Outcome' });
    expect(await outcome.inputValue()).toBe('');
    await outcome.click();
    for (const option of ['Approve', 'Deny', 'Ask for information', 'Refer to an expert'])
      await agent.getByRole('option', { name: option }).waitFor();
    await agent.getByRole('option', { name: 'Ask for information' }).click();
    await agent
      .getByLabel('Question to the claimant')
      .fill('Where was the kettle standing, and on what surface?');
    await shot(agent, 'agent-claim-defence');
    await agent.getByRole('button', { name: 'Send the question' }).click();
    await expect.poll(() => agent.getByTestId('claim-status').first().textContent()).toBe('needs info');
    // An internal note, apart from the claimant's thread.
    await agent
      .getByLabel('New internal note (staff only)')
      .fill('Asked about the surface; lab test looks genuine.');
    await agent.getByRole('button', { name: 'Add note' }).click();
    await agent.getByTestId('threads').getByText('lab test looks genuine').waitFor();
    await shot(agent, 'agent-claim-asked');
    const asked = await world.request('GET', `/v1/claims/${eli.id}`, { key: keys.eli });
    expect(asked.body.status).toBe('needs_info');
  }, 120_000);

  it('decides a dispute over $500 only after confirming the amount', async () => {
    // Back to the console's home: the disputed queue.
    const agent = await signedIn(keys.agent, { at: '/' });
    const table = agent.getByTestId('claims-table');
    await table.getByRole('link', { name: dana.number }).click();
    await agent.getByTestId('seller-answer').getByText(DEFENSE).waitFor();
    await agent.getByRole('button', { name: 'Record decision' }).click();
    await agent.getByText('Choose an outcome').waitFor();
    await agent.getByRole('combobox', { name: 'Outcome' }).click();
    await agent.getByRole('option', { name: 'Approve' }).click();
    await agent
      .getByLabel('Why the claim is valid')
      .fill('Scorch photos match the heater; the defence is general.');
    await agent.getByRole('button', { name: 'Record decision' }).click();
    expect(await agent.getByTestId('confirm-amount').textContent()).toContain('$2,500.00 to Dana Reyes');
    await shot(agent, 'agent-claim-confirm');
    await agent.getByRole('button', { name: 'Approve and pay $2,500.00' }).click();
    await expect.poll(() => agent.getByTestId('claim-status').first().textContent()).toBe('approved');
    await shot(agent, 'agent-claim-decided');
  }, 90_000);

  it('works on a 390 px phone: stacked cards, statuses whole, no sideways scroll', async () => {
    const phone = await signedIn(keys.agent, { viewport: PHONE });
    const cards = phone.getByTestId('claims-cards');
    await phone.getByRole('radio', { name: /^Mine \(1\)$/ }).waitFor({ state: 'attached' });
    await phone.locator('label', { hasText: 'All claims' }).click();
    await cards.getByRole('link').first().waitFor();
    expect(await phone.getByTestId('claims-table').isVisible()).toBe(false);
    expect(await cards.textContent()).toContain('Eli Park');
    expect(await cutStatuses(phone)).toEqual([]);
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await shot(phone, 'agent-console-phone');
    await cards
      .getByRole('link', { name: /Space heater/ })
      .first()
      .click();
    await phone.getByTestId('claim-title').waitFor();
    await phone.getByTestId('seller-answer').getByText(DEFENSE).waitFor();
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    await shot(phone, 'agent-claim-phone');
  }, 90_000);

  it('has no serious or critical accessibility violation on any page (axe-core)', () => {
    expect(axeViolations).toEqual([]);
  });

  it('logged no page error or failed request', () => {
    expect(browserErrors).toEqual([]);
  });
});
