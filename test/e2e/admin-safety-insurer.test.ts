import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBody, fileClaim, type usMarketplace } from '../fixtures.ts';
import type { World } from '../harness.ts';
import { seriousAxeViolations } from '../support/accessibility.ts';
import { buildWebAppOnce, chromiumAvailable, launchChromium, screenshot } from '../support/chromium.ts';
import { signedInPage, signInOnce } from '../support/sign-in-page.ts';
import { type WebhookReceiver, worldWithReceiver } from '../support/webhook-receiver.ts';

/**
 * The admin, safety and insurer screens in Chromium (issue 20): each page's main task, walked by
 * the role that does it, with a screenshot of each step kept in test-artifacts/screenshots.
 */
let world: World;
let receiver: WebhookReceiver;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
/** Harbor Mutual's insurer, one key for the file so it signs in once. */
let insurerKey: string;
let browser: Browser;
let base: string;
const contexts: BrowserContext[] = [];
const browserErrors: string[] = [];

beforeAll(async () => {
  if (!chromiumAvailable) return;
  await buildWebAppOnce();
  ({ world, receiver, keys } = await worldWithReceiver());
  insurerKey = await world.key('insurer', 'ins_harbor');
  base = (await world.app.listen({ port: 0, host: '127.0.0.1' })).replace('127.0.0.1', 'localhost');
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  if (!chromiumAvailable) return;
  if (browserErrors.length) process.stderr.write(`browser errors:\n${browserErrors.join('\n')}\n`);
  for (const c of contexts) await c.close();
  await browser?.close();
  await world?.close();
  await receiver?.stop();
});

/**
 * Each role signed in once for the file (see signInOnce): every walk after the first starts from
 * the navigation, as someone already working in the app would.
 */
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

const usd = (value: number) => ({ value, currency: 'USD' });

describe.skipIf(!chromiumAvailable)(
  'admin, safety and insurer screens in Chromium',
  { timeout: 150_000 },
  () => {
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
            {
              kind: 'medical_bills',
              description: 'Clinic visit',
              amount: { value: 45_000, currency: 'USD' },
            },
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
      const insurer = await signedIn(insurerKey);
      await insurer.getByRole('heading', { name: 'Tenders' }).waitFor();
      await insurer.getByTestId('tender-due').first().waitFor();
      await insurer.getByRole('row').nth(1).getByRole('button').click();
      await insurer
        .getByTestId('tendered-claim')
        .getByText('The heater set fire to the sofa cushions')
        .waitFor();
      await insurer.getByTestId('tender-evidence').waitFor();
      await shot(insurer, 'insurer-tender');
      await insurer.getByText('Accept and pay').click();
      await insurer.getByRole('textbox', { name: 'Payment reference' }).fill('HM-CLM-2026-44812');
      await insurer.getByRole('button', { name: 'Send answer' }).click();
      await insurer.getByText('Payment reference: HM-CLM-2026-44812').waitFor();
      await shot(insurer, 'insurer-tender-accepted');
      const claim = await world.request('GET', `/v1/claims/${filed.id}`);
      expect(claim.body.payer).toBe('insurer');
    });

    it('an admin edits the policy; every version is listed and two are compared field by field', async () => {
      const admin = await signedIn(world.adminKey);
      await admin.getByRole('link', { name: 'Marketplaces' }).click();
      const limit = admin.getByRole('textbox', { name: 'smallClaimLimit', exact: true });
      await limit.waitFor();
      await limit.fill('50000');
      await admin.getByRole('button', { name: 'Save policy' }).click();
      await admin.getByTestId('policy-saved').getByText('Saved as version 2.').waitFor();
      await expect.poll(() => admin.getByTestId('policy-versions').getByRole('row').count()).toBe(3);
      await admin.getByRole('button', { name: 'Compare' }).click();
      const diff = admin.getByTestId('policy-diff');
      await diff.getByText('Version 1 → 2: 1 field changed').waitFor();
      await diff.getByRole('row', { name: /smallClaimLimit\s*100000\s*50000/ }).waitFor();
      await shot(admin, 'admin-marketplace-policy');
      const stored = await world.request('GET', '/v1/marketplaces/mkt_us');
      expect(stored.body.policy.smallClaimLimit).toBe(50_000);
    });

    it('an admin registers an expert and reads the experts’ workload', async () => {
      const admin = await signedIn(world.adminKey);
      await admin.getByRole('link', { name: 'Experts' }).click();
      await admin.getByRole('textbox', { name: 'Expert id' }).fill('exp_lee');
      await admin.getByRole('textbox', { name: 'Marketplace' }).fill('mkt_us');
      await admin.getByRole('textbox', { name: 'Organisation' }).fill('Veritas Claims Investigation');
      await admin.getByRole('textbox', { name: 'Name' }).fill('J. Lee');
      await admin.getByRole('button', { name: 'Register' }).click();
      await admin.getByTestId('expert-registered').waitFor();
      await admin
        .getByTestId('experts')
        .getByRole('row', { name: /J\. Lee \(exp_lee\).*none/ })
        .waitFor();
      await shot(admin, 'admin-experts');
    });

    it('an admin vets an insurer into the network and reads its appetite and quotes', async () => {
      await world.request('PUT', '/v1/insurers/ins_shield', {
        body: { name: 'Shield Mutual', financialRating: 'A-' },
      });
      // Publishing an appetite is the provider's application to the network.
      const applied = await world.request('PUT', '/v1/insurers/ins_shield/appetite', {
        key: await world.key('insurer', 'ins_shield'),
        body: {
          currency: 'USD',
          annualSales: { min: 1_000_000, max: 1_000_000_000 },
          limits: {
            minPerOccurrence: 100_000_000,
            maxPerOccurrence: 500_000_000,
            maxAggregate: 1_000_000_000,
          },
          deductible: 250_000,
          policyExclusions: ['Punitive damages'],
          rating: {
            baseRatePer1000: { kitchen_appliances: 2, heating: 5 },
            claimsHistory: [{ upToClaims: 3, factor: 1 }],
            compliance: { compliant: 0.9 },
            minimumPremium: 60_000,
          },
        },
      });
      expect(applied.body.networkStatus).toBe('applied');
      const admin = await signedIn(world.adminKey);
      await admin.getByRole('link', { name: 'Insurers' }).click();
      const card = admin.getByTestId('insurer-ins_shield');
      await card
        .getByRole('textbox', { name: 'Vetting note for Shield Mutual' })
        .fill('Licensed in all states');
      await card.getByRole('button', { name: 'Vet into the network' }).click();
      await card.getByText('vetted', { exact: true }).waitFor();
      await card.getByRole('button', { name: 'Appetite and quotes' }).click();
      await card.getByText('Quotes issued', { exact: true }).waitFor();
      await card
        .getByTestId('appetite')
        .getByText(/excludes Punitive damages/)
        .waitFor();
      await shot(admin, 'admin-insurers');
      const stored = await world.request('GET', '/v1/insurers/ins_shield');
      expect(stored.body.networkStatus).toBe('vetted');
    });

    it('a safety officer reads claims by brand and hazard over the weeks on a chart', async () => {
      await world.request('PUT', '/v1/products/prd_kettle', {
        body: { sellerId: 'slr_acme', title: 'Kettle', category: 'kitchen_appliances', brand: 'BoilRight' },
      });
      const filed = await fileClaim(
        world,
        keys.dana,
        claimBody({ description: 'The kettle caught fire on the counter and burned the cabinet above it.' }),
      );
      expect(filed.status).toBe(201);
      await world.request('POST', `/v1/safety/hazard-coding/${filed.body.id}`, {
        key: keys.agent,
        body: { hazard: 'fire_burn', severity: 'property_damage' },
      });
      const officer = await signedIn(keys.agent);
      await officer.getByRole('link', { name: 'Clusters' }).click();
      await officer.getByTestId('clusters-chart').locator('svg').first().waitFor();
      await officer
        .getByTestId('clusters')
        .getByRole('row', { name: /BoilRight\s*fire burn\s*1/ })
        .waitFor();
      await shot(officer, 'safety-clusters');
    });

    it('a safety officer confirms a public recall match, pausing the listing, and follows a recall’s notices', async () => {
      await world.request('PUT', '/v1/products/prd_sleeper', {
        body: {
          sellerId: 'slr_other',
          title: 'Rock n Play Sleeper for infants',
          category: 'nursery',
          brand: 'Fisher-Price, Inc.',
        },
      });
      const imported = await world.request('POST', '/v1/safety/public-recalls/import', {
        payload: JSON.stringify({
          RecallNumber: '19-094',
          RecallDate: '2019-04-12T00:00:00',
          Title: 'Fisher-Price Recalls Rock ‘n Play Sleepers Due to Reports of Deaths',
          Description: '',
          Products: [{ Name: 'Rock ‘n Play Sleeper', Model: '' }],
          Manufacturers: [{ Name: 'Fisher-Price' }],
          Hazards: [{ Name: 'Infant fatalities after infants rolled over while unrestrained' }],
          Remedies: [{ Name: 'Stop using the sleeper immediately and contact Fisher-Price for a refund.' }],
          ProductUPCs: [],
        }),
        headers: { 'content-type': 'application/x-ndjson' },
      });
      expect(imported.body).toMatchObject({ imported: 1, productMatches: 1 });
      const recall = await world.request('POST', '/v1/products/prd_lamp/recalls', {
        key: keys.agent,
        body: {
          hazard: 'electric_shock',
          remedy: 'replace',
          unitsAffected: 3,
          description: 'The lamp’s cord can fray at the base and expose live wires.',
        },
        headers: { 'idempotency-key': 'e2e-recall-lamp' },
      });
      expect(recall.status).toBe(201);
      const officer = await signedIn(keys.agent);
      await officer.getByRole('link', { name: 'Recalls' }).click();
      const match = officer.locator('[data-testid^="match-"]').first();
      await match.getByText('19-094', { exact: false }).waitFor();
      await shot(officer, 'safety-recall-matches');
      await match.getByRole('checkbox', { name: 'Pause the listing' }).check();
      await match.getByRole('button', { name: 'Confirm' }).click();
      await officer.getByText('No matches waiting.').waitFor();
      await officer
        .getByTestId('recalls')
        .getByRole('row', { name: /prd_lamp/ })
        .waitFor();
      await shot(officer, 'safety-recalls');
      const confirmed = await world.request('GET', '/v1/safety/public-recall-matches?status=confirmed', {
        key: keys.agent,
      });
      expect(confirmed.body.data.map((m: { productId: string }) => m.productId)).toEqual(['prd_sleeper']);
    });

    it('a safety officer sees a regulator report’s hours left and records its submission', async () => {
      const reports = await world.request('GET', '/v1/safety/reports', { key: keys.agent });
      expect(reports.body.data.length, 'the severe incident coded above drafts a report').toBeGreaterThan(0);
      const officer = await signedIn(keys.agent);
      await officer.getByRole('link', { name: 'Regulator reports' }).click();
      const report = officer.locator('[data-testid^="report-"]').first();
      await expect
        .poll(async () => (await report.getByTestId('hours-left').textContent()) ?? '')
        .toMatch(/hours (left|late)/);
      expect(await report.getByRole('link', { name: 'The report as a PDF' }).getAttribute('href')).toMatch(
        /\/pdf$/,
      );
      await shot(officer, 'safety-reports');
      await report
        .getByRole('textbox', { name: "Regulator's reference" })
        .fill('CPSC-SAFERPRODUCTS-2026-118734');
      await report.getByRole('button', { name: 'Record submission' }).click();
      await officer.getByText(/reference CPSC-SAFERPRODUCTS-2026-118734/).waitFor();
    });

    it('an insurer verifies a policy on file that names it', async () => {
      const filed = await world.request('POST', '/v1/sellers/slr_other/insurance-policies', {
        body: {
          insurerId: 'ins_harbor',
          policyNumber: 'CGL-OTHER-E2E-1',
          perOccurrence: usd(100_000_000),
          aggregate: usd(200_000_000),
          deductible: usd(100_000),
          additionalInsured: true,
          effectiveFrom: '2026-01-01T00:00:00Z',
          expiresAt: '2027-06-01T00:00:00Z',
        },
      });
      expect(filed.status).toBe(201);
      const insurer = await signedIn(insurerKey);
      await insurer.getByRole('link', { name: 'Policies to verify' }).click();
      const card = insurer.getByTestId(`policy-${filed.body.id}`);
      await card.waitFor();
      await shot(insurer, 'insurer-policies');
      await card.getByRole('button', { name: 'Verify' }).click();
      await insurer.getByTestId('policy-decided').getByText('Policy CGL-OTHER-E2E-1 verified.').waitFor();
      const stored = await world.request('GET', `/v1/insurance-policies/${filed.body.id}`);
      expect(stored.body.status).toBe('verified');
    });

    it('has no serious or critical accessibility violation on any page (axe-core)', () => {
      expect(axeViolations).toEqual([]);
    });

    it('logged no browser errors and no failed requests', () => {
      expect(browserErrors).toEqual([]);
    });
  },
);
