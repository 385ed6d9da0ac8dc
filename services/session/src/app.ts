import type { Express } from 'express';
import type { Logger } from 'pino';
import { browserEndpoint, createBaseApp, finishApp, fromZodError, resolveLocale, sendJson, type ShopProfile } from '@lead-intake/shared';
import { sessionPath, sessionRequestSchema } from '@lead-intake/shared/api';
import { chatKitRequestSchema } from '@lead-intake/shared/chatkit';
import { LOCALE_HEADER, PAGE_URL_HEADER, authenticateVisitor } from './http/authenticate.js';
import { writeEventStream } from './http/sse.js';
import type { VisitorTokens } from './ports.js';
import type { ChatKitServer } from './use-cases/chat-server.js';
import { mintVisitorSession } from './use-cases/mint-visitor-session.js';

const chatKitPath = '/api/chatkit';

export interface AppDeps {
  logger: Logger;
  projectId?: string | undefined;
  allowedOrigins: readonly string[];
  /** Session mints per client IP per minute. */
  rateLimitPerMinute: number;
  /** ChatKit requests (reads included) per client IP per minute; turns have their own limits. */
  chatKitRateLimitPerMinute: number;
  trustProxy: number | false;
  trustedProxyRanges?: readonly string[] | undefined;
  tokens: VisitorTokens;
  /** A visitor proof's lifetime (renewed at a mint once half of it is gone). */
  proofTtlSeconds: number;
  chat: ChatKitServer;
  shop: ShopProfile;
}

export function createApp(deps: AppDeps): Express {
  const app = createBaseApp({
    logger: deps.logger,
    projectId: deps.projectId,
    trustProxy: deps.trustProxy,
    trustedProxyRanges: deps.trustedProxyRanges,
  });
  const locales = shopLocales(deps.shop);

  browserEndpoint(
    app,
    sessionPath,
    { allowedOrigins: deps.allowedOrigins, rateLimitPerMinute: deps.rateLimitPerMinute, bodyLimit: '8kb' },
    async (req, res) => {
      const parsed = sessionRequestSchema.safeParse(req.body);
      if (!parsed.success) throw fromZodError(parsed.error);
      const log = deps.logger.isLevelEnabled('debug') ? req.log : undefined;
      const session = await mintVisitorSession(
        { tokens: deps.tokens, resolveLocale: locales, now: () => Math.floor(Date.now() / 1000), proofTtlSeconds: deps.proofTtlSeconds },
        parsed.data,
        log,
      );
      sendJson(res.set('Cache-Control', 'no-store'), session);
    },
  );

  browserEndpoint(
    app,
    chatKitPath,
    {
      allowedOrigins: deps.allowedOrigins,
      rateLimitPerMinute: deps.chatKitRateLimitPerMinute,
      bodyLimit: '64kb',
      allowHeaders: ['Authorization', LOCALE_HEADER, PAGE_URL_HEADER],
    },
    async (req, res) => {
      const visitor = await authenticateVisitor(req, deps.tokens, locales);
      const parsed = chatKitRequestSchema.safeParse(req.body);
      if (!parsed.success) throw fromZodError(parsed.error);
      const abort = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) abort.abort();
      });
      // Visitor ids never reach the logs: a keyed hash of one does (decision 0022).
      const log = req.log.child({ op: parsed.data.type, visitor: visitor.logId });
      const result = await deps.chat.process(parsed.data, { visitor, signal: abort.signal, log });
      if (result.kind === 'json') {
        sendJson(res.set('Cache-Control', 'no-store'), result.body);
        return;
      }
      await writeEventStream(res, result.events, abort, log);
    },
  );

  return finishApp(app, { [sessionPath]: ['POST', 'OPTIONS'], [chatKitPath]: ['POST', 'OPTIONS'] });
}

/** The shop's locale for a requested tag; visitors send a handful of tags, so each is resolved once. */
function shopLocales(shop: ShopProfile): (locale: string | undefined) => string {
  const resolved = new Map<string, string>();
  return (locale) => {
    if (locale === undefined) return shop.locales.default;
    let answer = resolved.get(locale);
    if (answer === undefined) {
      answer = resolveLocale(locale, shop.locales.supported, shop.locales.default);
      if (resolved.size >= 1000) resolved.clear();
      resolved.set(locale, answer);
    }
    return answer;
  };
}
