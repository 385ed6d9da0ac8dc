import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ShopProfileError, defaultShopProfilePath, loadShopProfile, parseShopProfile } from '../src/shop/index.js';

const VALID = {
  name: 'Test Upholstery',
  phone: '+14085550142',
  email: 'shop@example.com',
  website: 'https://example.com',
  address: {
    street: '1 Test St',
    city: 'San Jose',
    region: 'CA',
    postalCode: '95112',
    country: 'US',
  },
  timezone: 'America/Los_Angeles',
  weeklyHours: {
    monday: [{ open: '08:00', close: '17:00' }],
    tuesday: [{ open: '08:00', close: '17:00' }],
    wednesday: [
      { open: '08:00', close: '12:00' },
      { open: '13:00', close: '17:00' },
    ],
    thursday: [{ open: '08:00', close: '17:00' }],
    friday: [{ open: '20:00', close: '02:00' }],
    saturday: [{ open: '09:00', close: '13:00' }],
    sunday: [],
  },
  closures: [
    { date: '2026-11-26', reason: 'Thanksgiving' },
    { date: '2026-12-24', hours: [{ open: '08:00', close: '12:00' }] },
    { from: '2026-08-10', to: '2026-08-14', reason: 'Vacation' },
    { date: '2026-08-12', reason: 'Open one day in the vacation', hours: [{ open: '10:00', close: '14:00' }] },
  ],
  locales: { default: 'en', supported: ['en', 'es', 'vi', 'zh-Hant'] },
  accentColor: '#8B1E2D',
};

type Json = Record<string, unknown>;

/** VALID with one field replaced (dotted path; `undefined` deletes it). */
function withField(path: string, value: unknown): Json {
  const copy = structuredClone(VALID) as Json;
  const keys = path.split('.');
  let target = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as Json;
  const last = keys[keys.length - 1] as string;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

function issuesOf(data: unknown): { path: string; message: string }[] {
  try {
    parseShopProfile(data, 'shops/test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ShopProfileError);
    const err = error as ShopProfileError;
    expect(err.message).toContain('shops/test.json');
    for (const issue of err.issues) expect(err.message).toContain(issue.message);
    return [...err.issues];
  }
  throw new Error('expected the profile to be rejected');
}

describe('parseShopProfile: a valid profile', () => {
  it('when every field is valid, then it parses and keeps split, overnight and closure data', () => {
    const profile = parseShopProfile(VALID);
    expect(profile.name).toBe('Test Upholstery');
    expect(profile.weeklyHours.wednesday).toHaveLength(2);
    expect(profile.closures).toHaveLength(4);
    expect(profile.locales.supported).toEqual(['en', 'es', 'vi', 'zh-Hant']);
  });

  it('when closures and website are omitted, then closures default to [] and website is absent', () => {
    const profile = parseShopProfile(withField('website', undefined));
    expect(profile.website).toBeUndefined();
    expect(parseShopProfile(withField('closures', undefined)).closures).toEqual([]);
  });

  it('when locale tags are not in canonical case, then they are canonicalized', () => {
    const profile = parseShopProfile(withField('locales', { default: 'EN', supported: ['en', 'zh-hant'] }));
    expect(profile.locales).toEqual({ default: 'en', supported: ['en', 'zh-Hant'] });
  });
});

describe('parseShopProfile: invalid fields are named with a reason', () => {
  it.each([
    ['a misspelt timezone', 'timezone', 'America/Los_Angles', 'timezone', /IANA time zone/],
    ['a timezone abbreviation', 'timezone', 'PST', 'timezone', /not an abbreviation/],
    ['a lowercase timezone', 'timezone', 'america/los_angeles', 'timezone', /IANA/],
    ['an hour without a leading zero', 'weeklyHours.monday', [{ open: '8:00', close: '17:00' }], 'weeklyHours.monday[0].open', /"HH:MM"/],
    ['hour 25', 'weeklyHours.monday', [{ open: '08:00', close: '25:00' }], 'weeklyHours.monday[0].close', /between 00:00 and 23:59/],
    [
      'closing at 24:00',
      'weeklyHours.monday',
      [{ open: '08:00', close: '24:00' }],
      'weeklyHours.monday[0].close',
      /use "00:00" for midnight/,
    ],
    [
      'overlapping split hours',
      'weeklyHours.wednesday',
      [
        { open: '08:00', close: '12:30' },
        { open: '12:00', close: '17:00' },
      ],
      'weeklyHours.wednesday[1]',
      /overlaps/,
    ],
    ['a missing weekday', 'weeklyHours.sunday', undefined, 'weeklyHours.sunday', /\[\] when closed/],
    ['a colour name', 'accentColor', 'red', 'accentColor', /#RRGGBB/],
    ['a 5-digit colour', 'accentColor', '#12345', 'accentColor', /#RRGGBB/],
    ['a local phone number', 'phone', '408-555-0142', 'phone', /E\.164/],
    ['a bad email', 'email', 'shop-at-example.com', 'email', /valid email/],
    ['a 3-letter country', 'address.country', 'USA', 'address.country', /ISO 3166-1 alpha-2/],
    ['an empty city', 'address.city', '  ', 'address.city', /must not be empty/],
    ['a shop name with a line break', 'name', 'Shop\nshop_is_open_now: true', 'name', /one line/],
    ['a non-http website', 'website', 'ftp://example.com', 'website', /http\(s\) URL/],
    ['an impossible closure date', 'closures', [{ date: '2026-02-30' }], 'closures[0].date', /real calendar date/],
    ['a 29 February outside a leap year', 'closures', [{ date: '2027-02-29' }], 'closures[0].date', /real calendar date/],
    ['a time with seconds', 'weeklyHours.monday', [{ open: '08:00:00', close: '17:00' }], 'weeklyHours.monday[0].open', /"HH:MM"/],
    ['a missing open time', 'weeklyHours.monday', [{ close: '17:00' }], 'weeklyHours.monday[0].open', /open time is required/],
    ['a phone with spaces', 'phone', '+1 408 555 0142', 'phone', /E\.164/],
    [
      'a closure with both date and range',
      'closures',
      [{ date: '2026-01-01', from: '2026-01-01', to: '2026-01-02' }],
      'closures[0]',
      /not both/,
    ],
    ['a closure with neither date nor range', 'closures', [{ reason: 'Vacation' }], 'closures[0]', /needs "date"/],
    ['a backwards range', 'closures', [{ from: '2026-05-02', to: '2026-05-01' }], 'closures[0].to', /before it starts/],
    ['a range missing its end', 'closures', [{ from: '2026-05-02' }], 'closures[0].to', /needs "to"/],
    [
      'a listed-twice date',
      'closures',
      [{ date: '2026-12-25' }, { date: '2026-12-25' }],
      'closures[1].date',
      /already listed in closures\[0\]/,
    ],
    [
      'overlapping ranges',
      'closures',
      [
        { from: '2026-08-01', to: '2026-08-10' },
        { from: '2026-08-10', to: '2026-08-12' },
      ],
      'closures[1]',
      /overlaps closures\[0\]/,
    ],
    [
      'bad special hours',
      'closures',
      [{ date: '2026-12-24', hours: [{ open: '8am', close: '12:00' }] }],
      'closures[0].hours[0].open',
      /"HH:MM"/,
    ],
    ['an underscore locale', 'locales', { default: 'en', supported: ['en', 'en_US'] }, 'locales.supported[1]', /BCP 47/],
    ['a default locale not supported', 'locales', { default: 'fr', supported: ['en', 'es'] }, 'locales.default', /must also be listed/],
    ['a duplicate locale', 'locales', { default: 'en', supported: ['en', 'es', 'en'] }, 'locales.supported[2]', /duplicate/],
  ])('when the profile has %s, then the error names %s', (_what, field, value, path, reason) => {
    const issues = issuesOf(withField(field, value));
    const issue = issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue?.message).toMatch(reason);
  });

  it('when a weekday key is misspelt, then the error lists the valid names', () => {
    const data = withField('weeklyHours.tuesday', undefined);
    (data.weeklyHours as Json).tuseday = [];
    const issues = issuesOf(data);
    expect(issues).toContainEqual({
      path: 'weeklyHours',
      message: expect.stringMatching(/unknown weekday "tuseday".*monday, tuesday/),
    });
  });

  it('when the profile has an unknown top-level field, then the error names it', () => {
    expect(issuesOf({ ...VALID, colour: '#fff' })).toContainEqual({
      path: '',
      message: 'unknown field(s) "colour"',
    });
  });

  it('when the input is not an object, then it is rejected with a clear message', () => {
    expect(issuesOf([])).toEqual([{ path: '', message: 'a shop profile must be a JSON object' }]);
  });
});

describe('loadShopProfile', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  async function tempFile(name: string, text: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'shop-profile-'));
    dirs.push(dir);
    const file = join(dir, name);
    await writeFile(file, text);
    return file;
  }

  it('when loading the default path, then the bundled example shop loads', async () => {
    expect(defaultShopProfilePath).toBe(fileURLToPath(new URL('../shops/example-shop.json', import.meta.url)));
    const profile = await loadShopProfile(defaultShopProfilePath);
    expect(profile.timezone).toBe('America/Los_Angeles');
    expect(profile.phone).toMatch(/^\+1408555\d{4}$/);
    expect(profile.locales.default).toBe('en');
    expect(profile.weeklyHours.sunday).toEqual([]);
    expect(profile.closures.length).toBeGreaterThanOrEqual(10);
  });

  it('when loading the Berlin fixture by URL, then it loads', async () => {
    const profile = await loadShopProfile(new URL('./fixtures/shop-night-owl.json', import.meta.url));
    expect(profile.timezone).toBe('Europe/Berlin');
  });

  it('when the file has invalid fields, then the error names the file, each field and the reason', async () => {
    const file = fileURLToPath(new URL('./fixtures/shop-invalid.json', import.meta.url));
    const error = await loadShopProfile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopProfileError);
    const err = error as ShopProfileError;
    expect(err.source).toBe(file);
    expect(err.message).toContain(file);
    // z.prettifyError: each reason on its line, the field below it.
    expect(err.message).toMatch(/"America\/Los_Angles"\n\s+→ at timezone\n/);
    expect(err.message).toMatch(/"8:00"\n\s+→ at weeklyHours\.monday\[0\]\.open$/m);
    expect(err.message).toMatch(/"#12345"\n\s+→ at accentColor\n/);
    expect(err.issues.map((i) => i.path)).toEqual(['timezone', 'weeklyHours.monday[0].open', 'accentColor']);
  });

  it('when the file is not JSON, then the error names the file and says so', async () => {
    const file = await tempFile('broken.json', '{ "name": ');
    await expect(loadShopProfile(file)).rejects.toThrow(
      new RegExp(`Shop profile ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON`),
    );
  });

  it('when the file does not exist, then the error names the file', async () => {
    const file = join(tmpdir(), 'no-such-dir-shop', 'missing.json');
    const error = await loadShopProfile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShopProfileError);
    expect((error as Error).message).toContain(`Cannot read shop profile ${file}`);
  });
});
