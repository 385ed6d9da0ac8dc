/**
 * The local stand-in for Firebase Hosting: serves the built site and applies `firebase.json`
 * itself (headers, redirects, exact-match static files with cleanUrls and i18n, rewrites, `run`
 * rewrites to the local services, the 404 page), in Hosting's order. The Firebase hosting
 * emulator cannot route `run` rewrites to local services (firebase-tools issue 1676).
 * Differences from Hosting, on purpose: responses stream (Hosting buffers them, which is why the
 * widget streams from the service's own URL in production) and there is no 60 s cap.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { HostingConfig, RunTarget } from './hosting-config.js';
import { i18nFolders, pathMatcher } from './matchers.js';

export interface GatewayOptions {
  hosting: HostingConfig;
  /** Absolute path of `hosting.public`. */
  publicDir: string;
  /** Local base URL for each Cloud Run serviceId a rewrite names. */
  services: Record<string, string>;
  /** Extra routes served before Hosting's rules (the development ChatKit element). */
  devRoutes?: Record<string, { contentType: string; body: () => Promise<string> | string }>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

export function createGateway(options: GatewayOptions): Server {
  const { hosting } = options;
  const headerRules = hosting.headers.map((rule) => ({ match: pathMatcher(rule), headers: rule.headers }));
  const redirects = hosting.redirects.map((rule) => ({ match: pathMatcher(rule), rule }));
  const rewrites = hosting.rewrites.map((rule) => ({ match: pathMatcher(rule), rule }));
  const ignored = hosting.ignore.map((glob) => pathMatcher({ source: glob }));
  for (const { rule } of rewrites) {
    if ('run' in rule && !options.services[rule.run.serviceId]) {
      throw new Error(`firebase.json rewrites to Cloud Run service "${rule.run.serviceId}", which the local stack does not run`);
    }
  }

  /** A file under publicDir for a URL path, honouring directory indexes and cleanUrls. */
  const findFile = async (urlPath: string, base = ''): Promise<{ file: string; redirect?: string } | null> => {
    const relative = normalize(decodeURIComponent(urlPath)).replace(/^[/\\]+/, '');
    if (relative.split(sep).includes('..')) return null;
    if (ignored.some((match) => match(relative) || match(`/${relative}`))) return null;
    const full = join(options.publicDir, base, relative);
    if (!full.startsWith(options.publicDir)) return null;
    const info = await stat(full).catch(() => null);
    if (info?.isFile()) {
      if (hosting.cleanUrls && full.endsWith('.html')) return { file: full, redirect: urlPath.replace(/(index)?\.html$/, '') };
      return { file: full };
    }
    if (info?.isDirectory()) {
      const index = join(full, 'index.html');
      if (!(await stat(index).catch(() => null))?.isFile()) return null;
      if (!urlPath.endsWith('/') && hosting.trailingSlash !== false) return { file: index, redirect: `${urlPath}/` };
      return { file: index };
    }
    if (hosting.cleanUrls && !urlPath.endsWith('/')) {
      const html = `${full}.html`;
      if ((await stat(html).catch(() => null))?.isFile()) return { file: html };
    }
    return null;
  };

  const serveFile = (req: IncomingMessage, res: ServerResponse, file: string, status = 200) => {
    res.statusCode = status;
    if (!res.hasHeader('content-type')) res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  const proxy = (req: IncomingMessage, res: ServerResponse, target: RunTarget, url: URL) => {
    const base = new URL(options.services[target.serviceId]!);
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name) || name === 'host') continue;
      headers[name] = value;
    }
    // Hosting forwards no cookie but __session.
    const session = /(?:^|;\s*)__session=([^;]*)/.exec(String(req.headers.cookie ?? ''));
    delete headers.cookie;
    if (session) headers.cookie = `__session=${session[1]}`;
    const peer = req.socket.remoteAddress ?? '127.0.0.1';
    headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${String(req.headers['x-forwarded-for'])}, ${peer}` : peer;
    headers['x-forwarded-host'] = req.headers.host ?? url.host;
    headers['x-forwarded-proto'] = 'http';
    const upstream = httpRequest(
      { hostname: base.hostname, port: base.port, method: req.method, path: `${url.pathname}${url.search}`, headers },
      (answer) => {
        res.statusCode = answer.statusCode ?? 502;
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value !== undefined && !HOP_BY_HOP.has(name)) res.setHeader(name, value);
        }
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) {
        res.statusCode = 502;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ error: 'bad_gateway', message: `${target.serviceId} is not answering` }));
      } else {
        res.destroy();
      }
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://gateway.local');
    const path = url.pathname;
    const dev = options.devRoutes?.[path];
    if (dev) {
      res.setHeader('content-type', dev.contentType);
      res.setHeader('cache-control', 'no-cache');
      // Like the CDN's chatkit.js: loadable from any embedding origin.
      res.setHeader('access-control-allow-origin', '*');
      res.end(await dev.body());
      return;
    }
    for (const rule of headerRules) if (rule.match(path)) for (const { key, value } of rule.headers) res.setHeader(key, value);

    for (const { match, rule } of redirects) {
      if (match(path)) {
        res.statusCode = rule.type;
        res.setHeader('location', rule.destination);
        res.end();
        return;
      }
    }

    const readable = req.method === 'GET' || req.method === 'HEAD';
    if (readable) {
      if (hosting.i18n) {
        for (const folder of i18nFolders(req.headers['accept-language'], req.headers['x-country-code'] as string | undefined)) {
          const found = await findFile(path, join(hosting.i18n.root, folder));
          if (found && !found.redirect) return serveFile(req, res, found.file);
        }
      }
      const found = await findFile(path);
      if (found?.redirect !== undefined && found.redirect !== path) {
        res.statusCode = 301;
        res.setHeader('location', `${found.redirect}${url.search}`);
        res.end();
        return;
      }
      if (found) return serveFile(req, res, found.file);
    }

    for (const { match, rule } of rewrites) {
      if (!match(path)) continue;
      if ('run' in rule) return proxy(req, res, rule.run, url);
      const target = await findFile(rule.destination);
      if (target && readable) return serveFile(req, res, target.file);
    }

    const notFound = await findFile('/404.html');
    if (notFound && readable) return serveFile(req, res, notFound.file, 404);
    res.statusCode = readable ? 404 : 405;
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end(readable ? 'Not found' : 'Method not allowed');
  };

  return createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
}
