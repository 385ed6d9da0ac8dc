import { shopClock, toStateVariables, type ShopProfile } from '@lead-intake/shared';
import type { TurnContext } from '../ports.js';

/**
 * The context the Agent Builder workflow used to get as state variables: the page's locale and
 * URL and the shop's clock (DST-correct, closures respected), computed at every turn.
 */
export function turnContext(shop: ShopProfile, now: Date, page: { locale: string; pageUrl: string | null }): TurnContext {
  return { ...toStateVariables(shopClock(shop, now), { locale: page.locale, page_url: page.pageUrl ?? '' }) };
}
