/**
 * The gateway applies firebase.json as Hosting does: headers, redirects, exact static files with
 * cleanUrls and trailing slashes, i18n for `/`, rewrites (static and `run`), the 404 page.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from '../src/gateway/gateway.js';
import { hostingSchema, loadHostingConfig } from '../src/gateway/hosting-config.js';
import { i18nFolders } from '../src/gateway/matchers.js';

let dir: string;
let gateway: Server;
let upstream: Server;
let base: string;
let releaseSecond: () => void = () => undefined;
const upstreamSeen: Array<{ path: string; cookie: string | undefined; forwardedFor: string | undefined }> = [];

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gateway-'));
  for (const [path, body] of Object.entries({
    'index.html': 'root',
    'en/index.html': 'english',
    'about.html': 'about',
    'assets/app-abc.js': 'js',
    '404.html': 'custom 404',
    'app.html': 'spa shell',
    'localized/es_ALL/index.html': 'redirect to es',
  })) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), body);
  }
  upstream = createServer((req, res) => {
    upstreamSeen.push({
      path: req.url ?? '',
      cookie: req.headers.cookie,
      forwardedFor: req.headers['x-forwarded-for'] as string | undefined,
    });
    res.setHeader('content-type', 'text/event-stream');
    res.write('data: first\n\n');
    // The second frame waits until the client has read the first: a buffering proxy would
    // hold the first one back and the test would never get there.
    releaseSecond = () => res.end('data: second\n\n');
  });
  const upstreamUrl = await listen(upstream);
  const hosting = hostingSchema.parse({
    public: 'ignored',
    cleanUrls: true,
    i18n: { root: '/localized' },
    redirects: [{ source: '/old', destination: '/en/', type: 301 }],
    rewrites: [
      { source: '/api/**', run: { serviceId: 'svc', region: 'us-west1' } },
      { source: '/app/**', destination: '/app.html' },
    ],
    headers: [
      { source: '**', headers: [{ key: 'X-Content-Type-Options', value: 'nosniff' }] },
      { source: '/assets/**', headers: [{ key: 'Cache-Control', value: 'public, max-age=31536000, immutable' }] },
    ],
  });
  gateway = createGateway({ hosting, publicDir: dir, services: { svc: upstreamUrl } });
  base = await listen(gateway);
}, 30_000);
afterAll(async () => {
  gateway?.closeAllConnections();
  gateway?.close();
  upstream?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the local Hosting gateway', () => {
  it('when a static file matches, then it is served with every matching header rule', async () => {
    const response = await fetch(`${base}/assets/app-abc.js`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('js');
    expect(response.headers.get('content-type')).toContain('text/javascript');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('when a directory is asked for without its slash, or an .html with cleanUrls, then Hosting redirects to the clean URL', async () => {
    const dirRedirect = await fetch(`${base}/en`, { redirect: 'manual' });
    expect([dirRedirect.status, dirRedirect.headers.get('location')]).toEqual([301, '/en/']);
    const clean = await fetch(`${base}/about.html`, { redirect: 'manual' });
    expect([clean.status, clean.headers.get('location')]).toEqual([301, '/about']);
    expect(await (await fetch(`${base}/about`)).text()).toBe('about');
    expect(await (await fetch(`${base}/en/`)).text()).toBe('english');
  });

  it('when a configured redirect matches, then it wins over static content', async () => {
    const response = await fetch(`${base}/old`, { redirect: 'manual' });
    expect([response.status, response.headers.get('location')]).toEqual([301, '/en/']);
  });

  it('when / is asked for in Spanish, then the i18n folder answers; in another language, the default does', async () => {
    expect(await (await fetch(`${base}/`, { headers: { 'accept-language': 'es-MX,es;q=0.9,en;q=0.5' } })).text()).toBe('redirect to es');
    expect(await (await fetch(`${base}/`, { headers: { 'accept-language': 'de-DE' } })).text()).toBe('root');
    expect(await (await fetch(`${base}/en/`, { headers: { 'accept-language': 'es' } })).text()).toBe('english');
  });

  it('when a run rewrite matches, then the request reaches the local service, streamed, with only the __session cookie', async () => {
    const response = await fetch(`${base}/api/chatkit?x=1`, { headers: { cookie: 'other=1; __session=abc; more=2' } });
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('data: first');
    releaseSecond();
    let rest = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(rest).toContain('data: second');
    const seen = upstreamSeen.at(-1)!;
    expect(seen.path).toBe('/api/chatkit?x=1');
    expect(seen.cookie).toBe('__session=abc');
    expect(seen.forwardedFor).toBe('127.0.0.1');
  });

  it('when a static rewrite matches, then its destination is served; when nothing matches, the custom 404 page', async () => {
    expect(await (await fetch(`${base}/app/settings`)).text()).toBe('spa shell');
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('custom 404');
  });

  it('when a path tries to climb out of the public folder, then it is not served', async () => {
    const response = await fetch(`${base}/..%2f..%2fetc%2fpasswd`);
    expect(response.status).toBe(404);
  });

  it('when firebase.json names a Cloud Run service the local stack does not run, then the gateway refuses to start, naming it', () => {
    const hosting = hostingSchema.parse({ public: 'x', rewrites: [{ source: '/api', run: { serviceId: 'missing-svc' } }] });
    expect(() => createGateway({ hosting, publicDir: dir, services: {} })).toThrow(/missing-svc/);
  });

  it("when the repository's firebase.json is loaded, then it parses and every run rewrite names a service the dev stack runs", async () => {
    const hosting = await loadHostingConfig(new URL('../../../firebase.json', import.meta.url).pathname);
    expect(hosting.public).toBe('web/dist');
    const services = hosting.rewrites.flatMap((rule) => ('run' in rule ? [rule.run.serviceId] : []));
    expect(new Set(services)).toEqual(new Set(['chatkit-session', 'chatkit-lead']));
  });
});

describe('Accept-Language to Hosting i18n folders', () => {
  it.each([
    ['es-MX,es;q=0.9', undefined, ['es_mx', 'es_ALL']],
    ['zh-CN', undefined, ['zh_cn', 'zh_ALL']],
    ['en;q=0.5, ar', undefined, ['ar_ALL', 'en_ALL']],
    ['vi', 'US', ['vi_us', 'vi_ALL', 'ALL_us']],
    ['', undefined, []],
    ['*;q=0.1, fr;q=0', undefined, []],
  ])('when Accept-Language is %j (country %s), then the folders are %j', (header, country, expected) => {
    expect(i18nFolders(header, country)).toEqual(expected);
  });
});
