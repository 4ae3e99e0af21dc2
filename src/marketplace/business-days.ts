import { createRequire } from 'node:module';
import { TZDate } from '@date-fns/tz';
// One module each: the package's index loads all of date-fns (about 400 ms at start-up).
import { addDays } from 'date-fns/addDays';
import { isWeekend } from 'date-fns/isWeekend';
import { startOfDay } from 'date-fns/startOfDay';
import type HolidaysClass from 'date-holidays';

export interface Calendar {
  /** date-holidays code: a country (`US`), or country and state (`US-NY`, `GB-ENG`). */
  holidayCalendar: string;
  /** IANA time zone in which the marketplace's days begin and end. */
  timeZone: string;
}

let holidaysClass: typeof HolidaysClass | undefined;

/**
 * date-holidays holds every country's rules in one module (about 25 MB once loaded), so it is
 * required on the first deadline or calendar check, not when the server starts: a server at
 * rest, and every CLI command that sets no deadline, does without it. Synchronous, as the
 * deadline functions are.
 */
function loadHolidays(): typeof HolidaysClass {
  holidaysClass ??= createRequire(import.meta.url)('date-holidays') as typeof HolidaysClass;
  return holidaysClass;
}

const holidayCache = new Map<string, HolidaysClass>();

function holidaysFor(calendar: Calendar): HolidaysClass {
  const cacheKey = `${calendar.holidayCalendar}|${calendar.timeZone}`;
  let holidays = holidayCache.get(cacheKey);
  if (!holidays) {
    const [country, state] = calendar.holidayCalendar.split('-');
    const Holidays = loadHolidays();
    holidays = new Holidays();
    holidays.init(country ?? '', state, { timezone: calendar.timeZone, types: ['public'] });
    holidayCache.set(cacheKey, holidays);
  }
  return holidays;
}

export function isKnownHolidayCalendar(code: string): boolean {
  const [country, state] = code.split('-');
  if (!country) return false;
  const Holidays = loadHolidays();
  const countries = new Holidays().getCountries();
  if (!countries[country]) return false;
  if (!state) return true;
  return Boolean(new Holidays().getStates(country)?.[state]);
}

/**
 * Whether a calendar's day is a public holiday, by `calendar|zone|year-month-day`. date-holidays
 * works each day out afresh from its rules (moment-timezone, a deep merge per rule): about 1 ms a
 * day, and a five-business-day deadline asks for seven days on every filing. A day's answer never
 * changes, and a year of one calendar is 365 entries; the bound only guards against a caller
 * walking centuries.
 */
const holidayAnswers = new Map<string, boolean>();
const HOLIDAY_ANSWERS_MAX = 50_000;

export function isBusinessDay(day: TZDate, calendar: Calendar): boolean {
  if (isWeekend(day)) return false;
  const key = `${calendar.holidayCalendar}|${calendar.timeZone}|${day.getFullYear()}-${day.getMonth()}-${day.getDate()}`;
  let holiday = holidayAnswers.get(key);
  if (holiday === undefined) {
    const noon = new TZDate(day.getFullYear(), day.getMonth(), day.getDate(), 12, 0, 0, calendar.timeZone);
    holiday = Boolean(holidaysFor(calendar).isHoliday(noon));
    if (holidayAnswers.size >= HOLIDAY_ANSWERS_MAX) holidayAnswers.clear();
    holidayAnswers.set(key, holiday);
  }
  return !holiday;
}

/** Deadlines already worked out, by calendar, zone, local start day and window (ms since epoch). */
const deadlines = new Map<string, number>();

/**
 * The moment a window of `businessDays` opened at `from` closes: the end (local midnight) of
 * the Nth business day after the day of `from`, in the marketplace's zone. Weekends and the
 * region's public holidays do not count. Ending at a day boundary gives the person a whole
 * last day, and a deadline that reads "end of Tuesday, New York time".
 */
export function businessDeadline(from: Date, businessDays: number, calendar: Calendar): Date {
  let day = startOfDay(new TZDate(from, calendar.timeZone));
  // Every filing of a day asks for the same deadline: the walk below (a zoned date per day) is
  // made once per start day, window and calendar.
  const key = `${calendar.holidayCalendar}|${calendar.timeZone}|${day.getTime()}|${businessDays}`;
  const known = deadlines.get(key);
  if (known !== undefined) return new Date(known);
  let counted = 0;
  while (counted < businessDays) {
    day = addDays(day, 1);
    if (isBusinessDay(day, calendar)) counted++;
  }
  const deadline = addDays(day, 1).getTime();
  if (deadlines.size >= HOLIDAY_ANSWERS_MAX) deadlines.clear();
  deadlines.set(key, deadline);
  return new Date(deadline);
}

/** The end of the day `days` calendar days after `from`, in the marketplace's zone. */
export function calendarDeadline(from: Date, days: number, calendar: Calendar): Date {
  const day = startOfDay(new TZDate(from, calendar.timeZone));
  return new Date(addDays(day, days + 1).getTime());
}
