import { isDeepStrictEqual } from 'node:util';
import { INSURANCE_TIMERS } from '../insurance/timer-kinds.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { Clock } from '../platform/clock.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { unprocessable } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { isKnownLocale } from '../platform/locale.ts';
import { scheduleTimer } from '../platform/timers.ts';
import { isKnownHolidayCalendar } from './business-days.ts';
import { ZPolicy } from './policy.ts';
import type { MarketplaceInput } from './schemas.ts';
import { currentPolicyVersion, findMarketplace, insertPolicyVersion } from './store.ts';
import { type MarketplaceView, toMarketplaceView } from './views.ts';

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates or replaces a marketplace. Its policy is stored as a new version only when it
 * differs from the one in force: claims keep the version they were filed under.
 */
export async function putMarketplace(
  db: Queryable,
  clock: Clock,
  actor: Principal,
  id: string,
  input: MarketplaceInput,
): Promise<MarketplaceView> {
  const holidayCalendar = input.holidayCalendar ?? input.region;
  if (!isKnownHolidayCalendar(holidayCalendar)) {
    throw unprocessable('body.holidayCalendar', `no holiday calendar is known for ${holidayCalendar}`);
  }
  if (!isKnownTimeZone(input.timeZone)) {
    throw unprocessable('body.timeZone', `${input.timeZone} is not an IANA time zone`);
  }
  const policy = ZPolicy.parse(input.policy);
  const now = clock.now();
  const existing = await findMarketplace(db, id);
  const locale = input.locale ?? existing?.locale ?? `en-${input.region}`;
  if (!isKnownLocale(locale)) throw unprocessable('body.locale', `${locale} is not a known locale`);
  if (existing && existing.currency !== input.currency) {
    throw unprocessable('body.currency', 'a marketplace keeps its currency: its claims and ledger are in it');
  }
  await db
    .insertInto('marketplaces')
    .values({
      id,
      name: input.name,
      currency: input.currency,
      region: input.region,
      holiday_calendar: holidayCalendar,
      time_zone: input.timeZone,
      locale,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        name: input.name,
        region: input.region,
        holiday_calendar: holidayCalendar,
        time_zone: input.timeZone,
        locale,
        updated_at: now,
      }),
    )
    .execute();
  if (!existing) {
    // Each marketplace's daily look at which sellers' sales now require insurance.
    await scheduleTimer(db, { kind: INSURANCE_TIMERS.complianceReview, subjectId: id, dueAt: now, now });
  }
  const current = await currentPolicyVersion(db, id);
  if (!current || !isDeepStrictEqual(current.policy, policy)) {
    await insertPolicyVersion(db, {
      id: newId('policyVersion', clock),
      marketplaceId: id,
      version: (current?.version ?? 0) + 1,
      policy,
      effectiveAt: now,
      createdBy: actor.keyId ?? actor.role,
    });
  }
  const marketplace = await findMarketplace(db, id);
  const version = await currentPolicyVersion(db, id);
  if (!marketplace || !version) throw new Error(`marketplace ${id} vanished while being written`);
  return toMarketplaceView(marketplace, version);
}
