import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBody, fileClaim, usMarketplace } from '../fixtures.ts';
import { createWorld, type World } from '../harness.ts';
import { seriousAxeViolations } from '../support/accessibility.ts';
import { buildWebAppOnce, chromiumAvailable, launchChromium, screenshot } from '../support/chromium.ts';
import { signedInPage, signInOnce } from '../support/sign-in-page.ts';

/**
 * The programme's screens in Chromium (issue 21): a third-party administrator working its
 * marketplace's claim from the agent's queues, and an agent filing for a customer who phoned,
 * with a screenshot of each step kept in test-artifacts/screenshots.
 */
let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
let tpaKey: string;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];
const browserErrors: string[] = [];

beforeAll(async () => {
  if (!chromiumAvailable) return;
  await buildWebAppOnce();
  world = await createWorld();
  keys = await usMarketplace(world);
  await world.request('PUT', '/v1/tpas/tpa_crawford', { body: { name: 'Crawford Claims Services' } });
  await world.request('PUT', '/v1/tpas/tpa_crawford/marketplaces/mkt_us', { body: {} });
  tpaKey = (
    await world.request('POST', '/v1/api-keys', {
      body: { role: 'tpa', partyId: 'tpa_crawford', label: 'Crawford (Sam)' },
    })
  ).body.secret;
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

/** The TPA and the agent each signed in once for the file (see signInOnce). */
const signedIn = signInOnce(
  (key, viewport) =>
    signedInPage(browser, `${base}/app/`, key, { errors: browserErrors, contexts, viewport }),
  () => `${base}/app`,
);

const axeViolations: string[] = [];

/** A screenshot kept as a test artifact, and the page's accessibility check. */
async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  axeViolations.push(...(await seriousAxeViolations(page, name)));
}

describe.skipIf(!chromiumAvailable)('the programme in Chromium', { timeout: 150_000 }, () => {
  it("a TPA opens its marketplace's claim from the queues and writes a note, recorded as the TPA's", async () => {
    const filed = await fileClaim(
      world,
      keys.dana,
      claimBody({ lineId: '2', amount: { value: 250_000, currency: 'USD' } }),
    );
    expect(filed.status).toBe(201);
    const tpa = await signedIn(tpaKey);
    // The header names the firm from its own record, and says what it is.
    const who = tpa.getByRole('banner').getByTestId('signed-in-as');
    await who.getByText('Crawford Claims Services').waitFor();
    await who.getByText('Claims administrator (TPA)').waitFor();
    await tpa.getByRole('link', { name: 'Queues' }).waitFor();
    await shot(tpa, 'programme-01-tpa-queues');
    await tpa.goto(`${base}/app/claims/${filed.body.id}`);
    await tpa.getByText(filed.body.claimNumber).first().waitFor();
    await shot(tpa, 'programme-02-tpa-claim');
    // The note goes through the API as the signed-in TPA (its session and CSRF token).
    const note = await tpa.evaluate(
      async ({ id }) => {
        const csrf = document.cookie.match(/redress_csrf=([^;]+)/)?.[1] ?? '';
        const res = await fetch(`/v1/claims/${id}/notes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
          body: JSON.stringify({ note: 'Spoke to the claimant; photos requested.' }),
        });
        return res.status;
      },
      { id: filed.body.id },
    );
    expect(note).toBe(200);
    const events = (await world.request('GET', `/v1/claims/${filed.body.id}/events`)).body.data;
    expect(events.at(-1)).toMatchObject({
      type: 'claim.note_added',
      actor: { role: 'tpa', id: 'tpa_crawford' },
    });
  });

  it('an agent files for a customer who phoned: finds her, picks the line, the channel, and files', async () => {
    const agent = await signedIn(keys.agent);
    await agent.getByRole('link', { name: 'File for a customer' }).click();
    await agent.getByRole('textbox', { name: 'Customer' }).fill('eli@example.com');
    await agent.getByRole('button', { name: 'Find' }).click();
    await agent.getByRole('combobox', { name: 'Which order line?' }).click();
    await agent.getByRole('option').first().click();
    await agent.getByRole('combobox', { name: 'How did the customer reach you?' }).click();
    await agent.getByRole('option', { name: 'Phone' }).click();
    await agent.getByLabel('When did it happen?').fill('2026-11-10T20:00');
    await agent.getByLabel("The customer's account").fill('The heater tipped over and scorched the rug.');
    await agent.getByLabel('Amount claimed (USD)').fill('90');
    await shot(agent, 'programme-03-agent-file-for-customer');
    await agent.getByRole('button', { name: 'File the claim' }).click();
    await agent.waitForURL(/\/app\/claims\/clm_/);
    const id = agent.url().split('/').at(-1) ?? '';
    await agent.getByTestId('filing-channel').getByText('taken by an agent by phone').waitFor();
    await shot(agent, 'programme-04-agent-filed-claim');
    const claim = (await world.request('GET', `/v1/claims/${id}`)).body;
    expect(claim).toMatchObject({
      customerId: 'cus_eli',
      filing: { channel: 'phone', filedBy: { role: 'agent' } },
    });
  });
  it('an agent makes a sued claim a matter from the claim page: deadlines stop, only a person closes it', async () => {
    const filed = await fileClaim(
      world,
      keys.dana,
      claimBody({ lineId: '2', amount: { value: 250_000, currency: 'USD' } }),
    );
    expect(filed.status).toBe(201);
    const agent = await signedIn(keys.agent, { at: `/claims/${filed.body.id}` });
    const card = agent.getByTestId('matter');
    await card.getByRole('radio', { name: 'The claimant sued' }).check();
    await card.getByLabel('Counsel (name, firm, contact)').fill('R. Ortiz, Ortiz & Lane LLP');
    await card.getByLabel('Case number').fill('RG26-123456');
    await card.getByRole('button', { name: 'Make it a matter' }).click();
    await card.getByText('Matter open').waitFor();
    await card.getByText('Counsel: R. Ortiz, Ortiz & Lane LLP').waitFor();
    await agent.mouse.move(0, 0); // not hovering the button that took the clicked one's place
    await shot(agent, 'programme-05-agent-matter');
    const events = (await world.request('GET', `/v1/claims/${filed.body.id}/events`)).body.data;
    expect(events.at(-1)).toMatchObject({ type: 'claim.matter_opened', actor: { role: 'agent' } });
    // The claimant sees that the claim is in litigation handling, never counsel or the court.
    const asClaimant = (await world.request('GET', `/v1/claims/${filed.body.id}/matter`, { key: keys.dana }))
      .status;
    expect(asClaimant).toBe(403);
  });

  it('has no serious or critical accessibility violation on any page (axe-core)', () => {
    expect(axeViolations).toEqual([]);
  });
});
