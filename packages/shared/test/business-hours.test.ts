import { describe, expect, it } from 'vitest';
import {
  defaultShopProfilePath,
  formatTime12h,
  loadShopProfile,
  parseShopProfile,
  shopClock,
  toStateVariables,
} from '../src/shop/index.js';
import type { DayHours, ShopProfile, ShopProfileInput, WeeklyHours } from '../src/shop/index.js';

// Every expectation below is worked out by hand from the offsets, not with the code under test:
// America/Los_Angeles is UTC-8 (PST) and UTC-7 (PDT, 2026-03-08 02:00 PST → 2026-11-01 02:00 PDT);
// Europe/Berlin is UTC+1 (CET) and UTC+2 (CEST, 2026-03-29 02:00 CET → 2026-10-25 03:00 CEST).

const CLOSED: DayHours = [];
const h = (open: string, close: string) => ({ open, close });

function week(hours: Partial<WeeklyHours>): WeeklyHours {
  return {
    monday: CLOSED,
    tuesday: CLOSED,
    wednesday: CLOSED,
    thursday: CLOSED,
    friday: CLOSED,
    saturday: CLOSED,
    sunday: CLOSED,
    ...hours,
  };
}

function shop(overrides: Partial<ShopProfileInput>): ShopProfile {
  return parseShopProfile({
    name: 'Test Shop',
    phone: '+14085550100',
    email: 'shop@example.com',
    address: {
      street: '1 Test St',
      city: 'San Jose',
      region: 'CA',
      postalCode: '95112',
      country: 'US',
    },
    timezone: 'America/Los_Angeles',
    weeklyHours: week({}),
    closures: [],
    locales: { default: 'en', supported: ['en'] },
    accentColor: '#112233',
    ...overrides,
  });
}

const weekdays9to5 = week({
  monday: [h('08:00', '17:00')],
  tuesday: [h('08:00', '17:00')],
  wednesday: [h('08:00', '17:00')],
  thursday: [h('08:00', '17:00')],
  friday: [h('08:00', '17:00')],
});

/** The reference upholstery shop: weekdays 8–5, Wednesday lunch break, Saturday 9–1. */
const UPHOLSTERY = shop({
  weeklyHours: {
    ...weekdays9to5,
    wednesday: [h('08:00', '12:00'), h('13:00', '17:00')],
    saturday: [h('09:00', '13:00')],
  },
  closures: [
    { from: '2026-08-10', to: '2026-08-14', reason: 'Summer vacation' },
    { date: '2026-09-07', reason: 'Labor Day' },
    { date: '2026-11-26', reason: 'Thanksgiving' },
    { date: '2026-12-24', reason: 'Christmas Eve', hours: [h('08:00', '12:00')] },
    { date: '2026-12-25', reason: 'Christmas' },
    { date: '2027-01-01', reason: "New Year's Day" },
  ],
});

/** A bar open Friday and Saturday nights 20:00–02:00, with two closed nights. */
const BAR = shop({
  weeklyHours: week({ friday: [h('20:00', '02:00')], saturday: [h('20:00', '02:00')] }),
  closures: [
    { date: '2026-11-20', reason: 'Private event' },
    { date: '2026-11-28', reason: 'Staff party' },
  ],
});

/** Friday evening running into Saturday through two touching intervals. */
const TOUCHING = shop({
  weeklyHours: week({ friday: [h('20:00', '00:00')], saturday: [h('00:00', '03:00')] }),
});

const sundayOnly = (open: string, close: string) => shop({ weeklyHours: week({ sunday: [h(open, close)] }) });
const GAP_OR_REPEAT_SPAN = sundayOnly('01:00', '03:30');
const OPENS_IN_GAP = sundayOnly('02:30', '06:00');
const CLOSES_IN_GAP = sundayOnly('00:00', '02:30');
const OPENS_IN_REPEAT = sundayOnly('01:30', '02:30');
const CLOSES_IN_REPEAT = sundayOnly('00:00', '01:30');

const NIGHT_OWL = await loadShopProfile(new URL('./fixtures/shop-night-owl.json', import.meta.url));
const EXAMPLE = await loadShopProfile(defaultShopProfilePath);

type Moment = readonly [weekday: string, time: string, at: string];

interface Row {
  when: string;
  then: string;
  profile: ShopProfile;
  now: string;
  weekday: string;
  time24h: string;
  open: boolean;
  closesAt?: Moment | null;
  nextOpen: Moment | null;
}

function expectClock(row: Row): void {
  const clock = shopClock(row.profile, new Date(row.now));
  expect(clock.localWeekday).toBe(row.weekday);
  expect(clock.localTime24h).toBe(row.time24h);
  expect(clock.isOpenNow).toBe(row.open);
  const moment = (m: { weekday: string; time: string; at: Date } | null) => m && [m.weekday, m.time, m.at.toISOString()];
  const iso = (m: Moment | null | undefined) => (m ? [m[0], m[1], new Date(m[2]).toISOString()] : null);
  expect(moment(clock.nextOpen)).toEqual(iso(row.nextOpen));
  if (row.closesAt !== undefined) expect(moment(clock.closesAt)).toEqual(iso(row.closesAt));
  if (!row.open) expect(clock.closesAt).toBeNull();
}

const tableName = 'when $when, then $then';

describe('shopClock: opening and closing boundaries (intervals are [open, close))', () => {
  it.each<Row>([
    {
      when: 'it is exactly the opening time',
      then: 'the shop is open until 5 PM',
      profile: UPHOLSTERY,
      now: '2026-11-16T16:00:00Z', // Mon 08:00 PST
      weekday: 'Monday',
      time24h: '08:00',
      open: true,
      closesAt: ['Monday', '5:00 PM', '2026-11-17T01:00:00Z'],
      nextOpen: ['Tuesday', '8:00 AM', '2026-11-17T16:00:00Z'],
    },
    {
      when: 'it is one minute before opening',
      then: 'it is closed and the next opening later today is named by its weekday',
      profile: UPHOLSTERY,
      now: '2026-11-16T15:59:00Z', // Mon 07:59 PST
      weekday: 'Monday',
      time24h: '07:59',
      open: false,
      nextOpen: ['Monday', '8:00 AM', '2026-11-16T16:00:00Z'],
    },
    {
      when: 'it is one minute before closing',
      then: 'it is still open',
      profile: UPHOLSTERY,
      now: '2026-11-17T00:59:00Z', // Mon 16:59 PST
      weekday: 'Monday',
      time24h: '16:59',
      open: true,
      closesAt: ['Monday', '5:00 PM', '2026-11-17T01:00:00Z'],
      nextOpen: ['Tuesday', '8:00 AM', '2026-11-17T16:00:00Z'],
    },
    {
      when: 'it is exactly the closing time',
      then: 'it is closed and opens tomorrow morning',
      profile: UPHOLSTERY,
      now: '2026-11-17T01:00:00Z', // Mon 17:00 PST
      weekday: 'Monday',
      time24h: '17:00',
      open: false,
      nextOpen: ['Tuesday', '8:00 AM', '2026-11-17T16:00:00Z'],
    },
  ])(tableName, expectClock);
});

describe('shopClock: split hours (Wednesday lunch break 12:00–13:00)', () => {
  it.each<Row>([
    {
      when: 'it is just before lunch',
      then: 'it is open and closes at noon, reopening at 1 PM',
      profile: UPHOLSTERY,
      now: '2026-11-18T19:59:00Z', // Wed 11:59 PST
      weekday: 'Wednesday',
      time24h: '11:59',
      open: true,
      closesAt: ['Wednesday', '12:00 PM', '2026-11-18T20:00:00Z'],
      nextOpen: ['Wednesday', '1:00 PM', '2026-11-18T21:00:00Z'],
    },
    {
      when: 'it is exactly the start of the lunch break',
      then: 'it is closed until 1 PM today',
      profile: UPHOLSTERY,
      now: '2026-11-18T20:00:00Z', // Wed 12:00 PST
      weekday: 'Wednesday',
      time24h: '12:00',
      open: false,
      nextOpen: ['Wednesday', '1:00 PM', '2026-11-18T21:00:00Z'],
    },
    {
      when: 'it is exactly the end of the lunch break',
      then: 'it is open until 5 PM',
      profile: UPHOLSTERY,
      now: '2026-11-18T21:00:00Z', // Wed 13:00 PST
      weekday: 'Wednesday',
      time24h: '13:00',
      open: true,
      closesAt: ['Wednesday', '5:00 PM', '2026-11-19T01:00:00Z'],
      nextOpen: ['Thursday', '8:00 AM', '2026-11-19T16:00:00Z'],
    },
  ])(tableName, expectClock);
});

describe('shopClock: weekends, holidays and closures', () => {
  it.each<Row>([
    {
      when: 'it is Friday evening',
      then: 'the next opening is Saturday 9 AM',
      profile: UPHOLSTERY,
      now: '2026-11-21T02:00:00Z', // Fri 18:00 PST
      weekday: 'Friday',
      time24h: '18:00',
      open: false,
      nextOpen: ['Saturday', '9:00 AM', '2026-11-21T17:00:00Z'],
    },
    {
      when: 'Saturday hours have just ended',
      then: 'the next opening skips Sunday to Monday 8 AM',
      profile: UPHOLSTERY,
      now: '2026-11-21T21:00:00Z', // Sat 13:00 PST
      weekday: 'Saturday',
      time24h: '13:00',
      open: false,
      nextOpen: ['Monday', '8:00 AM', '2026-11-23T16:00:00Z'],
    },
    {
      when: 'it is Sunday 16:05 (the contract example)',
      then: 'it is closed until Monday 8 AM',
      profile: UPHOLSTERY,
      now: '2026-11-23T00:05:00Z', // Sun 16:05 PST
      weekday: 'Sunday',
      time24h: '16:05',
      open: false,
      nextOpen: ['Monday', '8:00 AM', '2026-11-23T16:00:00Z'],
    },
    {
      when: 'it is Thanksgiving morning (closed all day)',
      then: 'it is closed and opens Friday 8 AM',
      profile: UPHOLSTERY,
      now: '2026-11-26T18:00:00Z', // Thu 10:00 PST
      weekday: 'Thursday',
      time24h: '10:00',
      open: false,
      nextOpen: ['Friday', '8:00 AM', '2026-11-27T16:00:00Z'],
    },
    {
      when: 'it is closing time the day before Thanksgiving',
      then: 'the next opening skips the holiday to Friday',
      profile: UPHOLSTERY,
      now: '2026-11-26T01:00:00Z', // Wed 17:00 PST
      weekday: 'Wednesday',
      time24h: '17:00',
      open: false,
      nextOpen: ['Friday', '8:00 AM', '2026-11-27T16:00:00Z'],
    },
    {
      when: 'Saturday hours end before a Labor Day Monday',
      then: 'the next opening skips Sunday and the holiday to Tuesday',
      profile: UPHOLSTERY,
      now: '2026-09-05T20:00:00Z', // Sat 13:00 PDT
      weekday: 'Saturday',
      time24h: '13:00',
      open: false,
      nextOpen: ['Tuesday', '8:00 AM', '2026-09-08T15:00:00Z'],
    },
    {
      when: 'it is Labor Day at 10 AM',
      then: 'it is closed until Tuesday',
      profile: UPHOLSTERY,
      now: '2026-09-07T17:00:00Z', // Mon 10:00 PDT
      weekday: 'Monday',
      time24h: '10:00',
      open: false,
      nextOpen: ['Tuesday', '8:00 AM', '2026-09-08T15:00:00Z'],
    },
    {
      when: 'it is 11 AM on Christmas Eve (special hours 8–12)',
      then: 'it is open until noon and next opens after Christmas',
      profile: UPHOLSTERY,
      now: '2026-12-24T19:00:00Z', // Thu 11:00 PST
      weekday: 'Thursday',
      time24h: '11:00',
      open: true,
      closesAt: ['Thursday', '12:00 PM', '2026-12-24T20:00:00Z'],
      nextOpen: ['Saturday', '9:00 AM', '2026-12-26T17:00:00Z'],
    },
    {
      when: 'it is 1 PM on Christmas Eve (after the special hours)',
      then: 'it is closed although Thursdays normally run to 5 PM',
      profile: UPHOLSTERY,
      now: '2026-12-24T21:00:00Z', // Thu 13:00 PST
      weekday: 'Thursday',
      time24h: '13:00',
      open: false,
      nextOpen: ['Saturday', '9:00 AM', '2026-12-26T17:00:00Z'],
    },
    {
      when: "it is New Year's Eve evening and New Year's Day is a closed Friday",
      then: 'the next opening is Saturday January 2',
      profile: UPHOLSTERY,
      now: '2027-01-01T01:00:00Z', // Thu 2026-12-31 17:00 PST
      weekday: 'Thursday',
      time24h: '17:00',
      open: false,
      nextOpen: ['Saturday', '9:00 AM', '2027-01-02T17:00:00Z'],
    },
    {
      when: 'it is the Monday of a Monday–Friday vacation range',
      then: 'it is closed until Saturday',
      profile: UPHOLSTERY,
      now: '2026-08-10T17:00:00Z', // Mon 10:00 PDT
      weekday: 'Monday',
      time24h: '10:00',
      open: false,
      nextOpen: ['Saturday', '9:00 AM', '2026-08-15T16:00:00Z'],
    },
    {
      when: 'Saturday hours end right before a vacation week',
      then: 'the next opening is the Saturday after the vacation',
      profile: UPHOLSTERY,
      now: '2026-08-08T20:00:00Z', // Sat 13:00 PDT
      weekday: 'Saturday',
      time24h: '13:00',
      open: false,
      nextOpen: ['Saturday', '9:00 AM', '2026-08-15T16:00:00Z'],
    },
  ])(tableName, expectClock);
});

describe('shopClock: overnight hours (close <= open ends the next day)', () => {
  it.each<Row>([
    {
      when: "it is Saturday 01:30 after Friday's 20:00–02:00",
      then: "it is open until 2 AM and Saturday's own hours still follow",
      profile: BAR,
      now: '2026-11-14T09:30:00Z', // Sat 01:30 PST
      weekday: 'Saturday',
      time24h: '01:30',
      open: true,
      closesAt: ['Saturday', '2:00 AM', '2026-11-14T10:00:00Z'],
      nextOpen: ['Saturday', '8:00 PM', '2026-11-15T04:00:00Z'],
    },
    {
      when: "it is exactly 02:00 on Saturday (end of Friday's interval)",
      then: 'it is closed until Saturday 8 PM',
      profile: BAR,
      now: '2026-11-14T10:00:00Z',
      weekday: 'Saturday',
      time24h: '02:00',
      open: false,
      nextOpen: ['Saturday', '8:00 PM', '2026-11-15T04:00:00Z'],
    },
    {
      when: 'it is Saturday 21:00 and next Friday is a closed date',
      then: 'it closes Sunday 2 AM and next opens on the following Saturday',
      profile: BAR,
      now: '2026-11-15T05:00:00Z', // Sat 21:00 PST
      weekday: 'Saturday',
      time24h: '21:00',
      open: true,
      closesAt: ['Sunday', '2:00 AM', '2026-11-15T10:00:00Z'],
      nextOpen: ['Saturday', '8:00 PM', '2026-11-22T04:00:00Z'],
    },
    {
      when: "it is Sunday 01:59 inside Saturday's overnight interval",
      then: 'it is open',
      profile: BAR,
      now: '2026-11-15T09:59:00Z',
      weekday: 'Sunday',
      time24h: '01:59',
      open: true,
      closesAt: ['Sunday', '2:00 AM', '2026-11-15T10:00:00Z'],
      nextOpen: ['Saturday', '8:00 PM', '2026-11-22T04:00:00Z'],
    },
    {
      when: 'it is Friday 21:00 on a closed Friday',
      then: 'it is closed until Saturday 8 PM',
      profile: BAR,
      now: '2026-11-21T05:00:00Z', // Fri 2026-11-20 21:00 PST
      weekday: 'Friday',
      time24h: '21:00',
      open: false,
      nextOpen: ['Saturday', '8:00 PM', '2026-11-22T04:00:00Z'],
    },
    {
      when: "it is Saturday 01:00 after a closed Friday (the closure removed Friday's whole interval)",
      then: 'it is closed',
      profile: BAR,
      now: '2026-11-21T09:00:00Z', // Sat 01:00 PST
      weekday: 'Saturday',
      time24h: '01:00',
      open: false,
      nextOpen: ['Saturday', '8:00 PM', '2026-11-22T04:00:00Z'],
    },
    {
      when: "it is 01:00 on a closed Saturday, inside Friday's overnight interval",
      then: 'it is open (a closure only removes intervals starting on its date)',
      profile: BAR,
      now: '2026-11-28T09:00:00Z', // Sat 01:00 PST
      weekday: 'Saturday',
      time24h: '01:00',
      open: true,
      closesAt: ['Saturday', '2:00 AM', '2026-11-28T10:00:00Z'],
      nextOpen: ['Friday', '8:00 PM', '2026-12-05T04:00:00Z'],
    },
    {
      when: 'it is 21:00 on a closed Saturday',
      then: 'it is closed until next Friday',
      profile: BAR,
      now: '2026-11-29T05:00:00Z', // Sat 21:00 PST
      weekday: 'Saturday',
      time24h: '21:00',
      open: false,
      nextOpen: ['Friday', '8:00 PM', '2026-12-05T04:00:00Z'],
    },
    {
      when: 'Friday 20:00–00:00 touches Saturday 00:00–03:00',
      then: 'they form one stretch closing Saturday 3 AM',
      profile: TOUCHING,
      now: '2026-11-14T07:00:00Z', // Fri 23:00 PST
      weekday: 'Friday',
      time24h: '23:00',
      open: true,
      closesAt: ['Saturday', '3:00 AM', '2026-11-14T11:00:00Z'],
      nextOpen: ['Friday', '8:00 PM', '2026-11-21T04:00:00Z'],
    },
  ])(tableName, expectClock);
});

describe('shopClock: 2026-03-08 spring forward in Los Angeles (02:00 PST → 03:00 PDT at 10:00Z)', () => {
  it.each<Row>([
    {
      when: 'an interval 01:00–03:30 spans the gap and it is 00:59 PST',
      then: 'it opens at 1 AM',
      profile: GAP_OR_REPEAT_SPAN,
      now: '2026-03-08T08:59:00Z',
      weekday: 'Sunday',
      time24h: '00:59',
      open: false,
      nextOpen: ['Sunday', '1:00 AM', '2026-03-08T09:00:00Z'],
    },
    {
      when: 'an interval 01:00–03:30 spans the gap and it is 01:59 PST',
      then: 'it is open until 3:30 AM PDT, only 1.5 real hours after opening',
      profile: GAP_OR_REPEAT_SPAN,
      now: '2026-03-08T09:59:00Z',
      weekday: 'Sunday',
      time24h: '01:59',
      open: true,
      closesAt: ['Sunday', '3:30 AM', '2026-03-08T10:30:00Z'],
      nextOpen: ['Sunday', '1:00 AM', '2026-03-15T08:00:00Z'],
    },
    {
      when: 'an interval 01:00–03:30 spans the gap and the clocks have just jumped to 03:00 PDT',
      then: 'it is still open',
      profile: GAP_OR_REPEAT_SPAN,
      now: '2026-03-08T10:00:00Z',
      weekday: 'Sunday',
      time24h: '03:00',
      open: true,
      closesAt: ['Sunday', '3:30 AM', '2026-03-08T10:30:00Z'],
      nextOpen: ['Sunday', '1:00 AM', '2026-03-15T08:00:00Z'],
    },
    {
      when: 'an interval 01:00–03:30 spans the gap and it is 03:30 PDT',
      then: 'it is closed and next opens a week later at 1 AM PDT',
      profile: GAP_OR_REPEAT_SPAN,
      now: '2026-03-08T10:30:00Z',
      weekday: 'Sunday',
      time24h: '03:30',
      open: false,
      nextOpen: ['Sunday', '1:00 AM', '2026-03-15T08:00:00Z'],
    },
    {
      when: 'the opening time 02:30 does not exist and it is 01:59 PST',
      then: 'it opens when the clocks jump, at 3:00 AM PDT',
      profile: OPENS_IN_GAP,
      now: '2026-03-08T09:59:00Z',
      weekday: 'Sunday',
      time24h: '01:59',
      open: false,
      nextOpen: ['Sunday', '3:00 AM', '2026-03-08T10:00:00Z'],
    },
    {
      when: 'the opening time 02:30 does not exist and it is 03:00 PDT',
      then: 'it is open until 6 AM PDT',
      profile: OPENS_IN_GAP,
      now: '2026-03-08T10:00:00Z',
      weekday: 'Sunday',
      time24h: '03:00',
      open: true,
      closesAt: ['Sunday', '6:00 AM', '2026-03-08T13:00:00Z'],
      nextOpen: ['Sunday', '2:30 AM', '2026-03-15T09:30:00Z'],
    },
    {
      when: 'the closing time 02:30 does not exist and it is 01:59 PST',
      then: 'it is open and closes when the clocks jump',
      profile: CLOSES_IN_GAP,
      now: '2026-03-08T09:59:00Z',
      weekday: 'Sunday',
      time24h: '01:59',
      open: true,
      closesAt: ['Sunday', '3:00 AM', '2026-03-08T10:00:00Z'],
      nextOpen: ['Sunday', '12:00 AM', '2026-03-15T07:00:00Z'],
    },
    {
      when: 'the closing time 02:30 does not exist and it is 03:00 PDT',
      then: 'it is closed',
      profile: CLOSES_IN_GAP,
      now: '2026-03-08T10:00:00Z',
      weekday: 'Sunday',
      time24h: '03:00',
      open: false,
      nextOpen: ['Sunday', '12:00 AM', '2026-03-15T07:00:00Z'],
    },
    {
      when: 'Saturday hours end on the spring-forward weekend',
      then: 'the next opening is Monday 8 AM in the new offset (PDT)',
      profile: UPHOLSTERY,
      now: '2026-03-07T21:00:00Z', // Sat 13:00 PST
      weekday: 'Saturday',
      time24h: '13:00',
      open: false,
      nextOpen: ['Monday', '8:00 AM', '2026-03-09T15:00:00Z'],
    },
  ])(tableName, expectClock);
});

describe('shopClock: 2026-11-01 fall back in Los Angeles (01:00–02:00 happens twice; 02:00 PDT → 01:00 PST at 09:00Z)', () => {
  it.each<Row>([
    {
      when: 'an interval 01:00–03:30 spans the repeated hour and it is 00:59 PDT',
      then: 'it opens at the first 1 AM',
      profile: GAP_OR_REPEAT_SPAN,
      now: '2026-11-01T07:59:00Z',
      weekday: 'Sunday',
      time24h: '00:59',
      open: false,
      nextOpen: ['Sunday', '1:00 AM', '2026-11-01T08:00:00Z'],
    },
    {
      when: 'an interval 01:00–03:30 spans the repeated hour and it is the first 01:00 (PDT)',
      then: 'it is open until 3:30 AM PST, 3.5 real hours later',
      profile: GAP_OR_REPEAT_SPAN,
      now: '2026-11-01T08:00:00Z',
      weekday: 'Sunday',
      time24h: '01:00',
      open: true,
      closesAt: ['Sunday', '3:30 AM', '2026-11-01T11:30:00Z'],
      nextOpen: ['Sunday', '1:00 AM', '2026-11-08T09:00:00Z'],
    },
    {
      when: 'an interval 01:00–03:30 spans the repeated hour and it is the second 01:00 (PST)',
      then: 'it is still open',
      profile: GAP_OR_REPEAT_SPAN,
      now: '2026-11-01T09:00:00Z',
      weekday: 'Sunday',
      time24h: '01:00',
      open: true,
      closesAt: ['Sunday', '3:30 AM', '2026-11-01T11:30:00Z'],
      nextOpen: ['Sunday', '1:00 AM', '2026-11-08T09:00:00Z'],
    },
    {
      when: 'an interval 01:00–03:30 spans the repeated hour and it is 03:30 PST',
      then: 'it is closed',
      profile: GAP_OR_REPEAT_SPAN,
      now: '2026-11-01T11:30:00Z',
      weekday: 'Sunday',
      time24h: '03:30',
      open: false,
      nextOpen: ['Sunday', '1:00 AM', '2026-11-08T09:00:00Z'],
    },
    {
      when: 'the opening time 01:30 happens twice and it is 01:29 PDT',
      then: 'it opens at the first 01:30',
      profile: OPENS_IN_REPEAT,
      now: '2026-11-01T08:29:00Z',
      weekday: 'Sunday',
      time24h: '01:29',
      open: false,
      nextOpen: ['Sunday', '1:30 AM', '2026-11-01T08:30:00Z'],
    },
    {
      when: 'the opening time 01:30 happens twice and it is the second 01:15 (PST)',
      then: 'it is open until 2:30 AM PST',
      profile: OPENS_IN_REPEAT,
      now: '2026-11-01T09:15:00Z',
      weekday: 'Sunday',
      time24h: '01:15',
      open: true,
      closesAt: ['Sunday', '2:30 AM', '2026-11-01T10:30:00Z'],
      nextOpen: ['Sunday', '1:30 AM', '2026-11-08T09:30:00Z'],
    },
    {
      when: 'the closing time 01:30 happens twice and it is 01:29 PDT',
      then: 'it is open and closes at the first 01:30',
      profile: CLOSES_IN_REPEAT,
      now: '2026-11-01T08:29:00Z',
      weekday: 'Sunday',
      time24h: '01:29',
      open: true,
      closesAt: ['Sunday', '1:30 AM', '2026-11-01T08:30:00Z'],
      nextOpen: ['Sunday', '12:00 AM', '2026-11-08T08:00:00Z'],
    },
    {
      when: 'the closing time 01:30 happens twice and it is the second 01:15 (PST)',
      then: 'it is closed',
      profile: CLOSES_IN_REPEAT,
      now: '2026-11-01T09:15:00Z',
      weekday: 'Sunday',
      time24h: '01:15',
      open: false,
      nextOpen: ['Sunday', '12:00 AM', '2026-11-08T08:00:00Z'],
    },
    {
      when: 'Saturday hours end on the fall-back weekend',
      then: 'the next opening is Monday 8 AM in the new offset (PST)',
      profile: UPHOLSTERY,
      now: '2026-10-31T20:00:00Z', // Sat 13:00 PDT
      weekday: 'Saturday',
      time24h: '13:00',
      open: false,
      nextOpen: ['Monday', '8:00 AM', '2026-11-02T16:00:00Z'],
    },
  ])(tableName, expectClock);
});

describe('shopClock: Europe/Berlin bar (fixture shop-night-owl.json)', () => {
  it.each<Row>([
    {
      when: "it is 01:59 CET on 2026-03-29 inside Saturday's 18:00–03:00",
      then: 'it is open and closes at 03:00 CEST, the moment the clocks jump',
      profile: NIGHT_OWL,
      now: '2026-03-29T00:59:00Z',
      weekday: 'Sunday',
      time24h: '01:59',
      open: true,
      closesAt: ['Sunday', '3:00 AM', '2026-03-29T01:00:00Z'],
      nextOpen: ['Sunday', '10:00 AM', '2026-03-29T08:00:00Z'],
    },
    {
      when: 'the clocks have just jumped to 03:00 CEST on 2026-03-29',
      then: 'it is closed until Sunday 10 AM CEST',
      profile: NIGHT_OWL,
      now: '2026-03-29T01:00:00Z',
      weekday: 'Sunday',
      time24h: '03:00',
      open: false,
      nextOpen: ['Sunday', '10:00 AM', '2026-03-29T08:00:00Z'],
    },
    {
      when: 'it is the first 02:30 (CEST) on 2026-10-25',
      then: "it is open inside Saturday's 18:00–03:00 until 03:00 CET",
      profile: NIGHT_OWL,
      now: '2026-10-25T00:30:00Z',
      weekday: 'Sunday',
      time24h: '02:30',
      open: true,
      closesAt: ['Sunday', '3:00 AM', '2026-10-25T02:00:00Z'],
      nextOpen: ['Sunday', '10:00 AM', '2026-10-25T09:00:00Z'],
    },
    {
      when: 'it is the second 02:30 (CET) on 2026-10-25',
      then: 'it is still open',
      profile: NIGHT_OWL,
      now: '2026-10-25T01:30:00Z',
      weekday: 'Sunday',
      time24h: '02:30',
      open: true,
      closesAt: ['Sunday', '3:00 AM', '2026-10-25T02:00:00Z'],
      nextOpen: ['Sunday', '10:00 AM', '2026-10-25T09:00:00Z'],
    },
    {
      when: 'it is 03:00 CET on 2026-10-25',
      then: 'it is closed until 10 AM CET',
      profile: NIGHT_OWL,
      now: '2026-10-25T02:00:00Z',
      weekday: 'Sunday',
      time24h: '03:00',
      open: false,
      nextOpen: ['Sunday', '10:00 AM', '2026-10-25T09:00:00Z'],
    },
    {
      when: "it is Saturday 02:30 CEST inside Friday's 18:00–03:00",
      then: "it is open and Saturday's afternoon interval comes next",
      profile: NIGHT_OWL,
      now: '2026-06-13T00:30:00Z',
      weekday: 'Saturday',
      time24h: '02:30',
      open: true,
      closesAt: ['Saturday', '3:00 AM', '2026-06-13T01:00:00Z'],
      nextOpen: ['Saturday', '2:00 PM', '2026-06-13T12:00:00Z'],
    },
    {
      when: 'it is Saturday 16:00, between the split intervals',
      then: 'it is closed until 6 PM',
      profile: NIGHT_OWL,
      now: '2026-06-13T14:00:00Z',
      weekday: 'Saturday',
      time24h: '16:00',
      open: false,
      nextOpen: ['Saturday', '6:00 PM', '2026-06-13T16:00:00Z'],
    },
    {
      when: "it is 00:30 on the closed Christmas Eve, inside Wednesday's 18:00–01:00",
      then: 'it is open until 1 AM, then closed until Friday',
      profile: NIGHT_OWL,
      now: '2026-12-23T23:30:00Z', // Thu 2026-12-24 00:30 CET
      weekday: 'Thursday',
      time24h: '00:30',
      open: true,
      closesAt: ['Thursday', '1:00 AM', '2026-12-24T00:00:00Z'],
      nextOpen: ['Friday', '6:00 PM', '2026-12-25T17:00:00Z'],
    },
    {
      when: 'it is Christmas Eve evening (closed all day)',
      then: 'it is closed until Friday 6 PM',
      profile: NIGHT_OWL,
      now: '2026-12-24T18:00:00Z',
      weekday: 'Thursday',
      time24h: '19:00',
      open: false,
      nextOpen: ['Friday', '6:00 PM', '2026-12-25T17:00:00Z'],
    },
    {
      when: "it is 03:30 on New Year's Day inside the New Year's Eve special hours 18:00–04:00",
      then: 'it is open until 4 AM (Thursday normally closes at 1 AM)',
      profile: NIGHT_OWL,
      now: '2027-01-01T02:30:00Z',
      weekday: 'Friday',
      time24h: '03:30',
      open: true,
      closesAt: ['Friday', '4:00 AM', '2027-01-01T03:00:00Z'],
      nextOpen: ['Friday', '6:00 PM', '2027-01-01T17:00:00Z'],
    },
    {
      when: 'Sunday hours end right before a two-week summer break',
      then: 'the next opening is the first Wednesday after the break',
      profile: NIGHT_OWL,
      now: '2026-07-19T12:00:00Z', // Sun 14:00 CEST
      weekday: 'Sunday',
      time24h: '14:00',
      open: false,
      nextOpen: ['Wednesday', '6:00 PM', '2026-08-05T16:00:00Z'],
    },
  ])(tableName, expectClock);
});

describe('shopClock: long closures and the 366-day search horizon', () => {
  const closedFor = (from: string, to: string) => shop({ weeklyHours: weekdays9to5, closures: [{ from, to, reason: 'Renovation' }] });

  it.each<Row>([
    {
      when: 'the shop is closed for most of a year',
      then: 'the next opening is found 361 days ahead',
      profile: closedFor('2026-01-05', '2026-12-31'),
      now: '2026-01-05T20:00:00Z', // Mon 12:00 PST
      weekday: 'Monday',
      time24h: '12:00',
      open: false,
      nextOpen: ['Friday', '8:00 AM', '2027-01-01T16:00:00Z'],
    },
    {
      when: 'the next opening is exactly 366 days ahead',
      then: 'it is found',
      profile: closedFor('2026-06-01', '2027-06-01'),
      now: '2026-06-01T17:00:00Z', // Mon 10:00 PDT
      weekday: 'Monday',
      time24h: '10:00',
      open: false,
      nextOpen: ['Wednesday', '8:00 AM', '2027-06-02T15:00:00Z'],
    },
    {
      when: 'the next opening is 367 days ahead',
      then: 'there is no next opening (null)',
      profile: closedFor('2026-06-01', '2027-06-02'),
      now: '2026-06-01T17:00:00Z',
      weekday: 'Monday',
      time24h: '10:00',
      open: false,
      nextOpen: null,
    },
    {
      when: 'the shop is open today and closed for over a year from tomorrow',
      then: 'it closes at 5 PM and has no next opening',
      profile: closedFor('2026-06-02', '2027-12-31'),
      now: '2026-06-01T17:00:00Z',
      weekday: 'Monday',
      time24h: '10:00',
      open: true,
      closesAt: ['Monday', '5:00 PM', '2026-06-02T00:00:00Z'],
      nextOpen: null,
    },
    {
      when: 'the shop is open around the clock (00:00–00:00 every day)',
      then: 'it is open with no known closing and no next opening',
      profile: shop({
        weeklyHours: {
          monday: [h('00:00', '00:00')],
          tuesday: [h('00:00', '00:00')],
          wednesday: [h('00:00', '00:00')],
          thursday: [h('00:00', '00:00')],
          friday: [h('00:00', '00:00')],
          saturday: [h('00:00', '00:00')],
          sunday: [h('00:00', '00:00')],
        },
      }),
      now: '2026-03-08T10:00:00Z',
      weekday: 'Sunday',
      time24h: '03:00',
      open: true,
      closesAt: null,
      nextOpen: null,
    },
  ])(tableName, expectClock);
});

describe('shopClock: summary of today', () => {
  it.each([
    ['a weekday', UPHOLSTERY, '2026-11-16T20:00:00Z', 'Monday', '8:00 AM – 5:00 PM'],
    ['a day with a lunch break', UPHOLSTERY, '2026-11-18T20:00:00Z', 'Wednesday', '8:00 AM – 12:00 PM, 1:00 PM – 5:00 PM'],
    ['Sunday', UPHOLSTERY, '2026-11-23T00:05:00Z', 'Sunday', 'Closed'],
    ['Thanksgiving', UPHOLSTERY, '2026-11-26T18:00:00Z', 'Thursday', 'Closed (Thanksgiving)'],
    ['Christmas Eve (special hours)', UPHOLSTERY, '2026-12-24T16:00:00Z', 'Thursday', '8:00 AM – 12:00 PM (Christmas Eve)'],
    ['an overnight Friday', BAR, '2026-11-14T05:00:00Z', 'Friday', '8:00 PM – 2:00 AM'],
  ] as const)('when it is %s, then hours today read as expected', (_what, profile, now, weekday, summary) => {
    const clock = shopClock(profile, new Date(now));
    expect(clock.localWeekday).toBe(weekday);
    expect(clock.hoursToday).toBe(summary);
  });
});

describe('shopClock: the bundled example shop (shops/example-shop.json)', () => {
  it.each<Row>([
    {
      when: 'it is Thanksgiving 2026',
      then: 'the example shop is closed and opens Friday with short hours',
      profile: EXAMPLE,
      now: '2026-11-26T18:00:00Z',
      weekday: 'Thursday',
      time24h: '10:00',
      open: false,
      nextOpen: ['Friday', '9:00 AM', '2026-11-27T17:00:00Z'],
    },
    {
      when: 'it is Wednesday 12:30',
      then: 'the example shop is at lunch until 1 PM',
      profile: EXAMPLE,
      now: '2026-11-18T20:30:00Z',
      weekday: 'Wednesday',
      time24h: '12:30',
      open: false,
      nextOpen: ['Wednesday', '1:00 PM', '2026-11-18T21:00:00Z'],
    },
    {
      when: "it is New Year's Eve 2027 at 11 AM",
      then: "the example shop closes at noon and reopens after New Year's Day 2028 (a Saturday)",
      profile: EXAMPLE,
      now: '2027-12-31T19:00:00Z',
      weekday: 'Friday',
      time24h: '11:00',
      open: true,
      closesAt: ['Friday', '12:00 PM', '2027-12-31T20:00:00Z'],
      nextOpen: ['Monday', '8:00 AM', '2028-01-03T16:00:00Z'],
    },
  ])(tableName, expectClock);

  it.each([
    ['Thanksgiving', 'Thursday'],
    ['Memorial Day', 'Monday'],
    ['Labor Day', 'Monday'],
    ['Independence Day (observed)', 'Monday'],
  ])('when the example lists %s, then every such date is a %s', (reason, weekday) => {
    const dates = EXAMPLE.closures.filter((c) => c.reason === reason).map((c) => c.date);
    expect(dates.length).toBeGreaterThan(0);
    for (const date of dates) {
      expect(new Date(`${date}T12:00:00Z`).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' })).toBe(weekday);
    }
  });
});

describe('shopClock: input checks', () => {
  it('when now is an invalid Date, then it throws a RangeError', () => {
    expect(() => shopClock(UPHOLSTERY, new Date('nope'))).toThrow(RangeError);
  });
});

describe('formatTime12h', () => {
  it.each([
    ['00:00', '12:00 AM'],
    ['00:05', '12:05 AM'],
    ['08:00', '8:00 AM'],
    ['11:59', '11:59 AM'],
    ['12:00', '12:00 PM'],
    ['13:30', '1:30 PM'],
    ['23:59', '11:59 PM'],
  ])('when the time is %s, then it reads %s', (time, expected) => {
    expect(formatTime12h(time)).toBe(expected);
  });
});

describe('toStateVariables', () => {
  it('when it is Sunday 16:05 at the example shop, then the ChatKit state variables match the contract', () => {
    const vars = toStateVariables(shopClock(EXAMPLE, new Date('2026-11-23T00:05:00Z')), {
      locale: 'es',
      page_url: 'https://rosewood-upholstery.example/quote',
    });
    expect(vars).toStrictEqual({
      locale: 'es',
      page_url: 'https://rosewood-upholstery.example/quote',
      shop_name: 'Rosewood Auto Upholstery',
      shop_phone: '+14085550142',
      shop_timezone: 'America/Los_Angeles',
      shop_local_weekday: 'Sunday',
      shop_local_time_24h: '16:05',
      shop_local_date: '2026-11-22',
      shop_is_open_now: false,
      shop_next_open_day: 'Monday',
      shop_next_open_time: '8:00 AM',
      shop_next_open_date: '2026-11-23',
      shop_closes_at_time: '',
      shop_hours_today: 'Closed',
    });
  });

  it('when the shop is open, then the closing time is given and the next opening is after it', () => {
    const vars = toStateVariables(shopClock(EXAMPLE, new Date('2026-11-16T20:00:00Z')));
    expect(vars).toMatchObject({
      shop_is_open_now: true,
      shop_closes_at_time: '5:00 PM',
      shop_next_open_day: 'Tuesday',
      shop_next_open_time: '8:00 AM',
      shop_next_open_date: '2026-11-17',
    });
  });

  it('when there is no next opening, then the next-open variables are empty strings', () => {
    const closed = shop({ closures: [{ from: '2026-01-01', to: '2028-12-31' }], weeklyHours: weekdays9to5 });
    const vars = toStateVariables(shopClock(closed, new Date('2026-06-01T17:00:00Z')));
    expect(vars.shop_next_open_day).toBe('');
    expect(vars.shop_next_open_time).toBe('');
    expect(vars.shop_next_open_date).toBe('');
    expect(vars.shop_is_open_now).toBe(false);
  });

  it('when extras reuse a shop_* name, then the computed value wins', () => {
    const vars = toStateVariables(shopClock(EXAMPLE, new Date('2026-11-23T00:05:00Z')), {
      shop_timezone: 'UTC',
      locale: 'en',
    });
    expect(vars.shop_timezone).toBe('America/Los_Angeles');
    expect(vars.locale).toBe('en');
  });
});
