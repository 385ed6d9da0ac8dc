import { shopClock, toStateVariables, type ShopProfile, type ShopStateVariables } from '@lead-intake/shared';
import type { TurnContext } from '../ports.js';

const MINUTE_MS = 60_000;

/**
 * The shop clock only changes from one minute to the next (hours are "HH:MM", zone offsets
 * whole minutes), and computing it walks the week through luxon: once per shop per minute.
 */
const lastClock = new WeakMap<ShopProfile, { minute: number; variables: ShopStateVariables }>();

function shopVariables(shop: ShopProfile, now: Date): ShopStateVariables {
  const minute = Math.floor(now.getTime() / MINUTE_MS);
  const cached = lastClock.get(shop);
  if (cached?.minute === minute) return cached.variables;
  const variables = toStateVariables(shopClock(shop, new Date(minute * MINUTE_MS)));
  lastClock.set(shop, { minute, variables });
  return variables;
}

/**
 * The context the Agent Builder workflow used to get as state variables: the page's locale and
 * URL and the shop's clock (DST-correct, closures respected), computed at every turn.
 */
export function turnContext(shop: ShopProfile, now: Date, page: { locale: string; pageUrl: string | null }): TurnContext {
  return { locale: page.locale, page_url: page.pageUrl ?? '', ...shopVariables(shop, now) };
}
