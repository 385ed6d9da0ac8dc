import { DateTime, IANAZone } from 'luxon';
import { WEEKDAY_KEYS, minutesOfDay } from './profile.js';
import type { Closure, DayHours, ShopProfile, WeekdayKey } from './profile.js';

/**
 * Business-hours arithmetic for a shop profile. Pure: the caller passes `now`.
 *
 * Semantics (docs/decisions/0003-shop-profile-and-hours.md):
 * - An interval { open, close } of local date D is the half-open range [open, close): open at
 *   exactly the opening time, closed at exactly the closing time. close <= open ends on D + 1.
 * - Intervals are wall-clock times. A time skipped by a DST gap (02:30 on a spring-forward
 *   night) resolves to the moment the clocks jump (03:00 new time); a time that occurs twice
 *   (01:30 on a fall-back night) resolves to its first occurrence.
 * - A closure covering D replaces D's weekly intervals (by its `hours`, or by nothing = closed
 *   all day). It affects intervals STARTING on D only: an overnight interval from D - 1 still
 *   runs into D.
 * - Overlapping or touching intervals (e.g. Friday 20:00–02:00 and Saturday 00:00–…) form
 *   one open stretch.
 * - Openings are searched up to {@link SEARCH_HORIZON_DAYS} local days ahead; beyond that the
 *   shop counts as having no next opening (null).
 */

export const SEARCH_HORIZON_DAYS = 366;

export type Weekday = 'Monday' | 'Tuesday' | 'Wednesday' | 'Thursday' | 'Friday' | 'Saturday' | 'Sunday';

const WEEKDAY_NAMES: readonly Weekday[] = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** A moment expressed in the shop's local time. */
export interface ShopMoment {
  /** The instant. */
  at: Date;
  /** Local calendar date, "YYYY-MM-DD". */
  date: string;
  /** Local weekday, "Monday". */
  weekday: Weekday;
  /** Local time, en-US 12-hour: "8:00 AM". */
  time: string;
  /** Local time, 24-hour: "08:00". */
  time24h: string;
}

export interface ShopClock {
  shopName: string;
  shopPhone: string;
  timezone: string;
  now: Date;
  /** Local calendar date of `now`, "YYYY-MM-DD". */
  localDate: string;
  localWeekday: Weekday;
  /** Local time of `now`, "16:05" (24-hour, zero-padded). */
  localTime24h: string;
  isOpenNow: boolean;
  /**
   * When open: the end of the current open stretch (null if it does not end within the search
   * horizon). When closed: null.
   */
  closesAt: ShopMoment | null;
  /**
   * The next time the shop opens after now. When open now: the first opening after the current
   * stretch closes. Null when there is none within {@link SEARCH_HORIZON_DAYS} days.
   */
  nextOpen: ShopMoment | null;
  /** Human summary of today's own hours: "8:00 AM – 12:00 PM, 1:00 PM – 5:00 PM", "Closed (Thanksgiving)". */
  hoursToday: string;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Adds days to a "YYYY-MM-DD" calendar date. */
function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function weekdayIndexOf(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7; // Monday = 0
}

/** "HH:MM" or minutes-of-day → "8:00 AM" (en-US, ASCII space). */
export function formatTime12h(time: string | number): string {
  const minutes = typeof time === 'number' ? time : minutesOfDay(time);
  const hour24 = Math.floor(minutes / 60) % 24;
  const minute = minutes % 60;
  const hour12 = hour24 % 12 === 0 ? 12 : hour24 % 12;
  return `${hour12}:${String(minute).padStart(2, '0')} ${hour24 < 12 ? 'AM' : 'PM'}`;
}

/**
 * The instant at which the wall clock of `zone` shows `minutes` after midnight on `isoDate`.
 * Ambiguous (repeated) times → the first occurrence; skipped times (DST gap) → the transition.
 */
function wallTimeToInstant(zone: IANAZone, isoDate: string, minutes: number): number {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, 0, minutes);
  const before = zone.offset(wall - DAY_MS);
  const after = zone.offset(wall + DAY_MS);
  const offsets = new Set([before, zone.offset(wall), after]);
  let best: number | undefined;
  for (const offset of offsets) {
    const instant = wall - offset * MINUTE_MS;
    if (zone.offset(instant) === offset && (best === undefined || instant < best)) best = instant;
  }
  if (best !== undefined) return best;
  // In a gap: the clocks jump from `before` to `after` somewhere in [lo, hi].
  let lo = wall - after * MINUTE_MS;
  let hi = wall - before * MINUTE_MS;
  if (lo > hi) [lo, hi] = [hi, lo];
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (zone.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

interface Span {
  start: number;
  end: number;
}

interface ClosureIndex {
  lookup(isoDate: string): Closure | undefined;
}

function indexClosures(closures: readonly Closure[]): ClosureIndex {
  const singles = new Map<string, Closure>();
  const ranges: Closure[] = [];
  for (const closure of closures) {
    if (closure.date !== undefined) singles.set(closure.date, closure);
    else ranges.push(closure);
  }
  return {
    lookup(isoDate) {
      return singles.get(isoDate) ?? ranges.find((r) => r.from !== undefined && r.to !== undefined && r.from <= isoDate && isoDate <= r.to);
    },
  };
}

function hoursOn(profile: ShopProfile, closures: ClosureIndex, isoDate: string): { hours: DayHours; closure: Closure | undefined } {
  const closure = closures.lookup(isoDate);
  if (closure) return { hours: closure.hours ?? [], closure };
  const key = WEEKDAY_KEYS[weekdayIndexOf(isoDate)] as WeekdayKey;
  return { hours: profile.weeklyHours[key], closure: undefined };
}

function spansOn(zone: IANAZone, hours: DayHours, isoDate: string): Span[] {
  const spans: Span[] = [];
  for (const interval of hours) {
    const open = minutesOfDay(interval.open);
    const close = minutesOfDay(interval.close);
    const start = wallTimeToInstant(zone, isoDate, open);
    const end = wallTimeToInstant(zone, close <= open ? addDays(isoDate, 1) : isoDate, close);
    if (end > start) spans.push({ start, end });
  }
  return spans.sort((a, b) => a.start - b.start);
}

function toMoment(zone: IANAZone, instant: number): ShopMoment {
  const local = DateTime.fromMillis(instant, { zone });
  const minutes = local.hour * 60 + local.minute;
  return {
    at: new Date(instant),
    date: local.toISODate() ?? '',
    weekday: WEEKDAY_NAMES[local.weekday - 1] as Weekday,
    time: formatTime12h(minutes),
    time24h: local.toFormat('HH:mm'),
  };
}

function summarize(hours: DayHours, closure: Closure | undefined): string {
  const text =
    hours.length === 0
      ? 'Closed'
      : [...hours]
          .sort((a, b) => minutesOfDay(a.open) - minutesOfDay(b.open))
          .map((i) => `${formatTime12h(i.open)} – ${formatTime12h(i.close)}`)
          .join(', ');
  return closure?.reason ? `${text} (${closure.reason})` : text;
}

/** Where the shop stands at `now`: local time, open or not, when it closes and next opens. */
export function shopClock(profile: ShopProfile, now: Date): ShopClock {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('shopClock: now is an invalid Date');
  const zone = IANAZone.create(profile.timezone);
  if (!zone.isValid) throw new RangeError(`shopClock: unknown time zone ${profile.timezone}`);
  const closures = indexClosures(profile.closures);
  const local = DateTime.fromMillis(nowMs, { zone });
  const today = local.toISODate() ?? '';

  // Every interval starts on its own local date, so walking the dates in order yields the
  // intervals sorted by start; yesterday is included for overnight intervals.
  let stretchEnd: number | null = null; // end of the open stretch containing now
  let nextOpen: number | null = null;
  let exhausted = true;
  scan: for (let offset = -1; offset <= SEARCH_HORIZON_DAYS; offset++) {
    const date = addDays(today, offset);
    for (const span of spansOn(zone, hoursOn(profile, closures, date).hours, date)) {
      if (stretchEnd === null) {
        if (span.start > nowMs) {
          nextOpen = span.start;
          exhausted = false;
          break scan;
        }
        if (span.end > nowMs) stretchEnd = span.end;
      } else {
        if (span.start > stretchEnd) {
          nextOpen = span.start;
          exhausted = false;
          break scan;
        }
        if (span.end > stretchEnd) stretchEnd = span.end;
      }
    }
  }

  // A stretch still open at the end of the scan may continue past the horizon: unknown end.
  const horizonEnd = wallTimeToInstant(zone, addDays(today, SEARCH_HORIZON_DAYS + 1), 0);
  const closesAtKnown = stretchEnd !== null && (!exhausted || stretchEnd < horizonEnd);
  const todays = hoursOn(profile, closures, today);
  return {
    shopName: profile.name,
    shopPhone: profile.phone,
    timezone: profile.timezone,
    now: new Date(nowMs),
    localDate: today,
    localWeekday: WEEKDAY_NAMES[local.weekday - 1] as Weekday,
    localTime24h: local.toFormat('HH:mm'),
    isOpenNow: stretchEnd !== null,
    closesAt: stretchEnd !== null && closesAtKnown ? toMoment(zone, stretchEnd) : null,
    nextOpen: nextOpen !== null ? toMoment(zone, nextOpen) : null,
    hoursToday: summarize(todays.hours, todays.closure),
  };
}

/** Values ChatKit accepts for workflow state variables. */
export type StateVariableValue = string | number | boolean;

/**
 * The shop_* ChatKit workflow state variables. Strings are "" where there is nothing to say
 * (no next opening within the horizon; not open now), so every variable is always present.
 */
export interface ShopStateVariables {
  shop_name: string;
  shop_phone: string;
  shop_timezone: string;
  /** "Sunday" */
  shop_local_weekday: Weekday;
  /** "16:05" */
  shop_local_time_24h: string;
  /** "2026-11-22" */
  shop_local_date: string;
  shop_is_open_now: boolean;
  /** Weekday of the next opening, even when that is later today ("Monday"); "" if none. */
  shop_next_open_day: Weekday | '';
  /** "8:00 AM"; "" if none. */
  shop_next_open_time: string;
  /** "2026-11-23"; "" if none (tells "Monday" this week from Monday in three weeks). */
  shop_next_open_date: string;
  /** When open now, the closing time "5:00 PM"; otherwise "". */
  shop_closes_at_time: string;
  /** "8:00 AM – 5:00 PM", "Closed (Thanksgiving)". */
  shop_hours_today: string;
}

/**
 * ChatKit workflow state variables for `clock`, merged after `extras` (e.g. `locale`,
 * `page_url`): the computed shop_* values win over extras with the same key.
 */
export function toStateVariables<E extends Record<string, StateVariableValue> = Record<never, never>>(
  clock: ShopClock,
  extras?: E,
): Omit<E, keyof ShopStateVariables> & ShopStateVariables {
  const shop: ShopStateVariables = {
    shop_name: clock.shopName,
    shop_phone: clock.shopPhone,
    shop_timezone: clock.timezone,
    shop_local_weekday: clock.localWeekday,
    shop_local_time_24h: clock.localTime24h,
    shop_local_date: clock.localDate,
    shop_is_open_now: clock.isOpenNow,
    shop_next_open_day: clock.nextOpen?.weekday ?? '',
    shop_next_open_time: clock.nextOpen?.time ?? '',
    shop_next_open_date: clock.nextOpen?.date ?? '',
    shop_closes_at_time: clock.closesAt?.time ?? '',
    shop_hours_today: clock.hoursToday,
  };
  return { ...(extras ?? ({} as E)), ...shop };
}
