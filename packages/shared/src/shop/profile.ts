import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CONTROL_CHARACTERS } from '../api/common.js';

/**
 * The shop profile: who the business is and when it is open. One JSON file per shop (see
 * `packages/shared/shops/` and docs/decisions/0003-shop-profile-and-hours.md).
 */

export const WEEKDAY_KEYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

// zod's own ISO 8601 / E.164 checks: "HH:MM" (minute precision, 00:00-23:59), real calendar
// dates (2026-02-30 and 2025-02-29 fail), "+" and 7-15 digits.
const hhmm = z.iso.time({ precision: -1 });
const HEX_COLOR = /^#[0-9A-Fa-f]{6}$/;
const COUNTRY = /^[A-Z]{2}$/;

const isHhmm = (value: string): boolean => hhmm.safeParse(value).success;

/** Minutes since local midnight of a validated "HH:MM". */
export function minutesOfDay(value: string): number {
  if (!isHhmm(value)) throw new RangeError(`Not a 24-hour "HH:MM" time: ${JSON.stringify(value)}`);
  return Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5));
}

/**
 * An IANA zone name the runtime knows, spelled the way IANA spells it ("America/Los_Angeles").
 * Abbreviations ("PST") and POSIX-style names ("PST8PDT") are rejected even where ICU accepts
 * them: they are ambiguous or deprecated. "UTC" is accepted.
 */
export function isValidTimeZone(value: string): boolean {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return false;
  }
  if (value !== 'UTC' && !value.includes('/')) return false;
  // ICU matches names case-insensitively; the profile must use the real spelling.
  return !(resolved.toLowerCase() === value.toLowerCase() && resolved !== value);
}

function canonicalLocale(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

const timeOfDay = (what: 'open' | 'close') =>
  z.iso.time({
    precision: -1,
    error: (issue) =>
      issue.input === undefined || typeof issue.input !== 'string'
        ? `${what} time is required, as a 24-hour "HH:MM" string`
        : `must be a 24-hour "HH:MM" time between 00:00 and 23:59, got ${JSON.stringify(issue.input)}` +
          (what === 'close' ? ' (use "00:00" for midnight)' : ''),
  });

/** One opening interval, [open, close). close <= open means it ends the next day. */
export const openingIntervalSchema = z.strictObject(
  { open: timeOfDay('open'), close: timeOfDay('close') },
  { error: 'must be an interval object like { "open": "08:00", "close": "17:00" }' },
);
export type OpeningInterval = z.infer<typeof openingIntervalSchema>;

/** The intervals of one day; [] means closed. Intervals must not overlap. */
export const dayHoursSchema = z
  .array(openingIntervalSchema, {
    error: (issue) =>
      issue.input === undefined
        ? 'is required: list the opening intervals, or [] when closed that day'
        : 'must be an array of { "open": "HH:MM", "close": "HH:MM" } intervals ([] = closed)',
  })
  .check((ctx) => {
    // Checks run even when an element failed; only compare well-formed intervals.
    const spans = ctx.value
      .map((interval, index) => ({ interval, index }))
      .filter(
        ({ interval }) =>
          typeof interval?.open === 'string' && typeof interval.close === 'string' && isHhmm(interval.open) && isHhmm(interval.close),
      )
      .map(({ interval, index }) => {
        const open = minutesOfDay(interval.open);
        let close = minutesOfDay(interval.close);
        if (close <= open) close += 24 * 60;
        return { index, open, close };
      })
      .sort((a, b) => a.open - b.open);
    for (let i = 1; i < spans.length; i++) {
      const previous = spans[i - 1];
      const current = spans[i];
      if (previous && current && current.open < previous.close) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          path: [current.index],
          message: `overlaps interval ${previous.index} of the same day; split hours must not overlap`,
        });
      }
    }
  });
export type DayHours = z.infer<typeof dayHoursSchema>;

export const weeklyHoursSchema = z.strictObject(
  Object.fromEntries(WEEKDAY_KEYS.map((key) => [key, dayHoursSchema])) as Record<WeekdayKey, typeof dayHoursSchema>,
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown weekday ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; use lowercase English names: ${WEEKDAY_KEYS.join(', ')}`
        : 'must be an object with one entry per weekday ("monday" … "sunday")',
  },
);
export type WeeklyHours = z.infer<typeof weeklyHoursSchema>;

const isoDate = (field: string) =>
  z.iso.date({
    error: (issue) =>
      typeof issue.input !== 'string'
        ? `${field} must be a "YYYY-MM-DD" date string`
        : `${field} must be a real calendar date "YYYY-MM-DD", got ${JSON.stringify(issue.input)}`,
  });

/**
 * A closure: one `date`, or an inclusive range `from`..`to`. Without `hours` the shop is closed
 * all day; with `hours` those intervals replace the weekly hours of each covered date.
 * A closure only affects intervals that START on a covered date (an overnight interval from
 * the day before still runs into it).
 */
export const closureSchema = z
  .strictObject(
    {
      date: isoDate('date').optional(),
      from: isoDate('from').optional(),
      to: isoDate('to').optional(),
      reason: z
        .string({ error: 'reason must be a string' })
        .trim()
        .min(1, { error: 'reason must not be empty' })
        .max(200, { error: 'reason must be at most 200 characters' })
        .optional(),
      hours: dayHoursSchema.optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown closure field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; allowed: date | from+to, reason, hours`
          : 'must be an object like { "date": "YYYY-MM-DD", "reason": "..." } or { "from": "YYYY-MM-DD", "to": "YYYY-MM-DD" }',
    },
  )
  .check((ctx) => {
    const { date, from, to } = ctx.value;
    const push = (message: string, path: string[] = []) => ctx.issues.push({ code: 'custom', input: ctx.value, path, message });
    if (date !== undefined) {
      if (from !== undefined || to !== undefined) push('give either "date" or "from"+"to", not both');
    } else if (from === undefined && to === undefined) {
      push('needs "date" (one day) or "from" and "to" (an inclusive range)');
    } else if (from === undefined) {
      push('a range needs "from" as well as "to"', ['from']);
    } else if (to === undefined) {
      push('a range needs "to" as well as "from"', ['to']);
    } else if (from > to) {
      push(`range ends (${to}) before it starts (${from})`, ['to']);
    }
  });
export type Closure = z.infer<typeof closureSchema>;

const localeTag = (field: string) =>
  z
    .string({ error: `${field} must be a BCP 47 language tag string like "en" or "es-MX"` })
    .refine((tag) => canonicalLocale(tag) !== undefined, {
      error: (issue) => `${field} must be a BCP 47 language tag like "en" or "zh-Hant", got ${JSON.stringify(issue.input)}`,
    })
    .transform((tag) => canonicalLocale(tag) ?? tag);

export const localesSchema = z
  .strictObject(
    {
      default: localeTag('default locale'),
      supported: z
        .array(localeTag('supported locale'), {
          error: 'supported must be an array of BCP 47 language tags',
        })
        .min(1, { error: 'supported must list at least one locale' }),
    },
    { error: 'must be an object like { "default": "en", "supported": ["en", "es"] }' },
  )
  .check((ctx) => {
    const { default: fallback, supported } = ctx.value;
    if (typeof fallback !== 'string' || !Array.isArray(supported)) return;
    if (!supported.includes(fallback)) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        path: ['default'],
        message: `default locale "${fallback}" must also be listed in supported (${supported.join(', ')})`,
      });
    }
    const seen = new Set<string>();
    supported.forEach((tag, index) => {
      if (seen.has(tag)) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          path: ['supported', index],
          message: `duplicate locale "${tag}"`,
        });
      }
      seen.add(tag);
    });
  });

/** One line of text: the shop name reaches the agent's instructions, where a line break could pose as a new rule. */
const requiredText = (field: string, max: number) =>
  z
    .string({ error: `${field} is required (a string)` })
    .trim()
    .min(1, { error: `${field} must not be empty` })
    .max(max, { error: `${field} must be at most ${max} characters` })
    .refine((value) => !CONTROL_CHARACTERS.test(value), {
      error: `${field} must be one line, without control characters`,
    });

export const addressSchema = z.strictObject(
  {
    street: requiredText('street', 200),
    city: requiredText('city', 100),
    region: requiredText('region (state/province)', 100),
    postalCode: requiredText('postalCode', 20),
    country: z.string({ error: 'country is required: an ISO 3166-1 alpha-2 code like "US"' }).regex(COUNTRY, {
      error: (issue) => `country must be an ISO 3166-1 alpha-2 code in capitals like "US", got ${JSON.stringify(issue.input)}`,
    }),
  },
  { error: 'must be an object with street, city, region, postalCode, country' },
);
export type ShopAddress = z.infer<typeof addressSchema>;

export const shopProfileSchema = z
  .strictObject(
    {
      name: requiredText('name', 120),
      phone: z.e164({
        error: (issue) =>
          typeof issue.input !== 'string'
            ? 'phone is required: an E.164 number like "+14085550142"'
            : `phone must be in E.164 format ("+" country code and digits, no spaces) like "+14085550142", got ${JSON.stringify(issue.input)}`,
      }),
      email: z.email({
        error: (issue) =>
          issue.input === undefined ? 'email is required' : `email must be a valid email address, got ${JSON.stringify(issue.input)}`,
      }),
      address: addressSchema,
      timezone: z.string({ error: 'timezone is required: an IANA time zone like "America/Los_Angeles"' }).refine(isValidTimeZone, {
        error: (issue) =>
          `timezone must be an IANA time zone name like "America/Los_Angeles" (not an abbreviation like "PST"), got ${JSON.stringify(issue.input)}`,
      }),
      weeklyHours: weeklyHoursSchema,
      closures: z.array(closureSchema, { error: 'closures must be an array (use [] for none)' }).default([]),
      locales: localesSchema,
      accentColor: z.string({ error: 'accentColor is required: a "#RRGGBB" hex colour' }).regex(HEX_COLOR, {
        error: (issue) => `accentColor must be a "#RRGGBB" hex colour like "#8B1E2D", got ${JSON.stringify(issue.input)}`,
      }),
      website: z
        .url({
          protocol: /^https?$/,
          error: (issue) => `website must be an absolute http(s) URL, got ${JSON.stringify(issue.input)}`,
        })
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
          : 'a shop profile must be a JSON object',
    },
  )
  .check((ctx) => {
    // A date may be named by at most one single-date closure and at most one range; a single
    // date inside a range overrides the range (e.g. special hours during a vacation week).
    const singles = new Map<string, number>();
    const ranges: { index: number; from: string; to: string }[] = [];
    if (!Array.isArray(ctx.value.closures)) return;
    ctx.value.closures.forEach((closure, index) => {
      if (typeof closure !== 'object' || closure === null) return;
      if (typeof closure.date === 'string') {
        const earlier = singles.get(closure.date);
        if (earlier !== undefined) {
          ctx.issues.push({
            code: 'custom',
            input: closure,
            path: ['closures', index, 'date'],
            message: `${closure.date} is already listed in closures[${earlier}]`,
          });
        } else singles.set(closure.date, index);
      } else if (typeof closure.from === 'string' && typeof closure.to === 'string') {
        for (const other of ranges) {
          if (closure.from <= other.to && other.from <= closure.to) {
            ctx.issues.push({
              code: 'custom',
              input: closure,
              path: ['closures', index],
              message: `range ${closure.from}..${closure.to} overlaps closures[${other.index}] (${other.from}..${other.to})`,
            });
          }
        }
        ranges.push({ index, from: closure.from, to: closure.to });
      }
    });
  });

/** A validated shop profile (closures defaulted to [], locale tags canonicalized). */
export type ShopProfile = z.output<typeof shopProfileSchema>;
/** What a profile JSON file may contain before validation. */
export type ShopProfileInput = z.input<typeof shopProfileSchema>;

export interface ShopProfileIssue {
  /** Dotted path to the offending field, e.g. "weeklyHours.monday[0].open"; "" = the root. */
  path: string;
  message: string;
}

/** Thrown when a shop profile cannot be read, parsed or validated. Names file, field, reason. */
export class ShopProfileError extends Error {
  override readonly name = 'ShopProfileError';
  constructor(
    message: string,
    readonly source: string,
    readonly issues: readonly ShopProfileIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Validates already-parsed JSON; `source` names the file (or origin) in error messages. */
export function parseShopProfile(data: unknown, source = '<inline shop profile>'): ShopProfile {
  const result = shopProfileSchema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: z.core.toDotPath(issue.path),
    message: issue.message,
  }));
  throw new ShopProfileError(`Invalid shop profile ${source}:\n${z.prettifyError(result.error)}`, source, issues);
}

/** Reads and validates a shop profile JSON file. Fails fast with a {@link ShopProfileError}. */
export async function loadShopProfile(path: string | URL): Promise<ShopProfile> {
  const file = typeof path === 'string' ? path : fileURLToPath(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ShopProfileError(`Cannot read shop profile ${file}: ${reason}`, file, [], {
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ShopProfileError(`Shop profile ${file} is not valid JSON: ${reason}`, file, [], {
      cause: error,
    });
  }
  return parseShopProfile(data, file);
}

/**
 * Absolute path of the bundled example profile (packages/shared/shops/example-shop.json).
 * Resolved relative to this module, which sits two levels below the package root both as
 * src/shop/profile.ts and as dist/shop/profile.js.
 */
export const defaultShopProfilePath: string = fileURLToPath(new URL('../../shops/example-shop.json', import.meta.url));
