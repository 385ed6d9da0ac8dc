import type { Request } from 'express';
import { AppError } from '@lead-intake/shared';
import { localeSchema, pageUrlSchema } from '@lead-intake/shared/api';
import type { VisitorTokens } from '../ports.js';
import type { Visitor } from '../domain/visitor.js';

/** Headers the widget's custom `fetch` adds to every ChatKit request (the page may change under one token). */
export const LOCALE_HEADER = 'x-chatkit-locale';
export const PAGE_URL_HEADER = 'x-chatkit-page-url';

const unauthorized = (message: string) =>
  new AppError('unauthorized', message, { headers: { 'WWW-Authenticate': 'Bearer realm="chatkit"' } });

/** The visitor behind `Authorization: Bearer <visitor token>`; 401 when missing, expired or forged. */
export async function authenticateVisitor(
  req: Request,
  tokens: VisitorTokens,
  resolveLocale: (locale: string | undefined) => string,
): Promise<Visitor> {
  const header = req.get('authorization') ?? '';
  // The scheme is case-insensitive (RFC 7235 §2.1); the token is a compact JWS.
  const match = /^bearer +([A-Za-z0-9_.-]{10,4096})$/i.exec(header.trim());
  if (!match?.[1]) throw unauthorized('Send the visitor token from /api/chatkit/session as "Authorization: Bearer <token>".');
  const claims = await tokens.verify(match[1]);
  if (!claims) throw unauthorized('The visitor token is expired or invalid. Get a new one from /api/chatkit/session.');
  const headerLocale = localeSchema.safeParse(req.get(LOCALE_HEADER));
  const headerUrl = pageUrlSchema.safeParse(req.get(PAGE_URL_HEADER));
  return {
    user: claims.user,
    logId: await tokens.logId(claims.user),
    locale: headerLocale.success ? resolveLocale(headerLocale.data) : claims.locale,
    pageUrl: headerUrl.success ? headerUrl.data : claims.pageUrl,
    ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
  };
}
