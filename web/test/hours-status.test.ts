import { describe, expect, it } from 'vitest';
import { defaultShopProfilePath, loadShopProfile } from '@lead-intake/shared';
import { hoursStatus, statusText } from '../src/launcher/hours-status.js';
import { openSpans } from '../scripts/build.js';

const words = { openUntil: 'Open until {time}', opensAt: 'Opens {day} at {time}', closed: 'Closed' };
const shop = await loadShopProfile(defaultShopProfilePath);
const built = openSpans(shop, new Date('2026-12-20T08:00:00Z'), 30);
const at = (iso: string) => hoursStatus(built, Date.parse(iso));
const text = (iso: string) => {
  const status = at(iso);
  return status ? statusText(status, words, 'en', shop.timezone) : null;
};

describe("today's status from the build's open spans", () => {
  it.each([
    ['Monday 2026-12-21 10:00 PST, open 8–5', '2026-12-21T18:00:00Z', 'Open until 5:00 PM'],
    ['Monday at 5:00 PM exactly, closed (half-open intervals)', '2026-12-22T01:00:00Z', 'Opens Tuesday at 8:00 AM'],
    ['Wednesday lunch break', '2026-12-23T20:30:00Z', 'Opens Wednesday at 1:00 PM'],
    ['Christmas Eve short day, after noon', '2026-12-24T20:30:00Z', 'Opens Saturday at 9:00 AM'],
    ['Saturday morning', '2026-12-26T18:00:00Z', 'Open until 1:00 PM'],
    ['Year-end inventory closure', '2026-12-29T18:00:00Z', 'Opens Thursday at 8:00 AM'],
  ])('when it is %s, then the status reads as the shop clock says', (_name, iso, expected) => {
    expect(text(iso)).toBe(expected);
  });

  it('when the page is older than the computed horizon, then no status is shown rather than a wrong one', () => {
    expect(at('2027-02-01T18:00:00Z')).toBeNull();
  });

  it('when formatted in Spanish or Arabic, then the time is in the shop time zone in that language', () => {
    const status = at('2026-12-21T18:00:00Z')!;
    expect(statusText(status, { ...words, openUntil: 'Abierto hasta las {time}' }, 'es', shop.timezone)).toMatch(
      /^Abierto hasta las 17:00$/,
    );
    expect(statusText(status, words, 'ar', shop.timezone)).toMatch(/٥:٠٠|5:00/);
  });
});
