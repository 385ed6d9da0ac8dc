/**
 * Property-based checks of a public endpoint's answers to bad input (fast-check): whatever the
 * headers and body, over a real socket, the service answers below 500, and every 4xx is the
 * contract's JSON error (`{"error": {"code", "message"}}`, the code's own status).
 *
 * - {@link fetchCase}: requests a client (fetch) can send: methods, content types and encodings
 *   (bodies compressed or not), origins, credentials, field values, sizes, odd paths.
 * - {@link rawCase}: bytes only a raw socket sends: malformed request lines, unknown methods,
 *   bad versions, invalid or oversized headers, contradictory framing, `Expect`, `CONNECT`.
 */
import { brotliCompressSync, deflateSync, gzipSync, zstdCompressSync } from 'node:zlib';
import fc from 'fast-check';
import { errorStatus } from '@lead-intake/shared';
import { sendRaw, type RawResponse } from './raw-http.js';

export interface FuzzEndpoint {
  /** e.g. `/api/chatkit/lead` */
  path: string;
  /** Values worth trying per request header (valid ones included), besides random ones. */
  headers?: Record<string, readonly string[]>;
  /** The body's fields with sample values (valid ones included), mixed with random JSON. */
  fields?: Record<string, readonly unknown[]>;
  /** The body limit, so sizes around it are tried. */
  bodyLimitBytes: number;
}

export interface FetchCase {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer> | undefined;
}

const encodings = ['gzip', 'deflate', 'br', 'zstd'] as const;
type Encoding = (typeof encodings)[number];
const compress: Record<Encoding, (data: Buffer) => Buffer> = {
  gzip: (data) => gzipSync(data),
  deflate: (data) => deflateSync(data),
  br: (data) => brotliCompressSync(data),
  zstd: (data) => zstdCompressSync(data),
};

/** Header names and values fetch accepts (RFC 9110 tokens; visible ASCII and spaces, trimmed). */
const tokenChar = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~".split(''));
const token = fc.string({ unit: tokenChar, minLength: 1, maxLength: 12 });
const headerValue = fc
  .string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 })
  .map((v) => v.trim());

const contentTypes = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset="UTF-8"',
  'application/json; charset=latin1',
  'application/json; charset=utf-16le',
  'application/json; charset=bogus',
  'application/json; charset',
  'application/json;;',
  'application/merge-patch+json',
  'text/plain',
  'text/plain;charset=UTF-8',
  'text/plain; charset=koi8-r',
  'text/html',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  '*/*',
  'application/',
  ';',
];
const contentEncodings = [
  'gzip',
  'deflate',
  'br',
  'zstd',
  'identity',
  'GZIP',
  'x-gzip',
  'compress',
  'gzip, br',
  'gzip, gzip',
  'identity, gzip',
  'chunked',
  '',
];

/** The first sample half the time (the valid value, so later checks are reached too), else any sample or a random value. */
function favouringFirst<T>(samples: readonly T[], random: fc.Arbitrary<T>): fc.Arbitrary<T> {
  if (samples.length === 0) return random;
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(samples[0] as T) },
    { weight: 3, arbitrary: fc.constantFrom(...samples) },
    { weight: 1, arbitrary: random },
  );
}

function jsonBody(endpoint: FuzzEndpoint): fc.Arbitrary<unknown> {
  const fields = Object.entries(endpoint.fields ?? {});
  const value = (samples: readonly unknown[]) =>
    favouringFirst<unknown>(samples, fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 200 })));
  const record = fc.record(Object.fromEntries(fields.map(([name, samples]) => [name, value(samples)])), { requiredKeys: [] });
  const extra = fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
  return fc.oneof(
    { weight: 5, arbitrary: fc.tuple(record, extra).map(([known, more]) => ({ ...more, ...known })) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

function bodyBytes(endpoint: FuzzEndpoint): fc.Arbitrary<Buffer | undefined> {
  const limit = endpoint.bodyLimitBytes;
  return fc.oneof(
    { weight: 6, arbitrary: jsonBody(endpoint).map((value) => Buffer.from(JSON.stringify(value) ?? 'null')) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 100 }).map((text) => Buffer.from(text)) },
    // Around the limit: just under, just over, far over.
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: limit - 64, max: limit * 8 })
        .map((size) => Buffer.from(JSON.stringify({ pad: 'x'.repeat(Math.max(0, size - 10)) }))),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
  );
}

/** What fetch can send; `Content-Encoding` sometimes matches a real compression, often not. */
export function fetchCase(endpoint: FuzzEndpoint): fc.Arbitrary<FetchCase> {
  const named = Object.entries(endpoint.headers ?? {}).map(([name, samples]) =>
    fc.option(favouringFirst(samples, headerValue), { nil: undefined, freq: 4 }).map((value) => [name, value] as const),
  );
  return fc
    .record({
      method: fc.oneof(
        { weight: 12, arbitrary: fc.constant('POST') },
        { weight: 3, arbitrary: fc.constantFrom('GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE', 'QUERY', 'PROPFIND') },
        { weight: 1, arbitrary: token.map((m) => m.toUpperCase()).filter((m) => !['CONNECT', 'TRACE', 'TRACK'].includes(m)) },
      ),
      path: fc.oneof(
        { weight: 12, arbitrary: fc.constant(endpoint.path) },
        {
          weight: 1,
          arbitrary: fc
            .constantFrom('?x=1', '/', '//', '/..', '%2F', '%zz', '?%00', '/../health', 'X')
            .map((suffix) => endpoint.path + suffix),
        },
        { weight: 1, arbitrary: fc.webPath().map((path) => path || '/') },
      ),
      contentType: fc.option(favouringFirst(contentTypes, headerValue), { nil: undefined, freq: 6 }),
      compression: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...encodings) }),
      encodingHeader: fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: fc.constantFrom(...contentEncodings) },
        { weight: 1, arbitrary: headerValue },
      ),
      matchEncoding: fc.boolean(),
      body: bodyBytes(endpoint),
      named: fc.tuple(...named),
      extra: fc.array(fc.tuple(token, headerValue), { maxLength: 4 }),
    })
    .map(({ method, path, contentType, compression, encodingHeader, matchEncoding, body, named: endpointHeaders, extra }) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of extra) headers[name.toLowerCase()] = value;
      for (const [name, value] of endpointHeaders) if (value !== undefined) headers[name] = value;
      if (contentType !== undefined) headers['content-type'] = contentType;
      let bytes: Buffer | undefined = method === 'GET' || method === 'HEAD' ? undefined : body;
      if (bytes && compression) bytes = compress[compression](bytes);
      const encoding = matchEncoding && compression ? compression : encodingHeader;
      if (encoding !== undefined) headers['content-encoding'] = encoding;
      // Header names fetch would refuse or rewrite (they go to rawCase instead).
      for (const name of ['connection', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect', 'content-length', 'host'])
        delete headers[name];
      return { method, path, headers, body: bytes === undefined ? undefined : new Uint8Array(bytes) };
    });
}

const crlf = fc.constantFrom('\r\n', '\r\n', '\r\n', '\n', '\r');
const rawByteString = (maxLength: number) => fc.uint8Array({ maxLength }).map((bytes) => Buffer.from(bytes).toString('latin1'));

/** A request line, headers and framing as bytes, well-formed or not. */
export function rawCase(endpoint: FuzzEndpoint): fc.Arbitrary<string> {
  const method = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        'POST',
        'GET',
        'HEAD',
        'OPTIONS',
        'PUT',
        'DELETE',
        'PATCH',
        'PROPFIND',
        'CONNECT',
        'TRACE',
        'PRI',
        'SEARCH',
      ),
    },
    { weight: 2, arbitrary: token },
    { weight: 1, arbitrary: fc.constantFrom('get', 'Post', 'P OST', 'POST\t', '') },
    { weight: 1, arbitrary: rawByteString(8) },
  );
  const target = fc.oneof(
    { weight: 4, arbitrary: fc.constant(endpoint.path) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '*',
        'http://example.com' + endpoint.path,
        'example.com:443',
        endpoint.path + '?a=%zz',
        endpoint.path + '#frag',
        '',
        ' ',
        endpoint.path + ' x',
      ),
    },
    { weight: 1, arbitrary: rawByteString(12) },
  );
  const version = fc.oneof(
    { weight: 4, arbitrary: fc.constant('HTTP/1.1') },
    {
      weight: 1,
      arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/1.9', 'HTTP/0.9', 'HTTP/11', 'http/1.1', 'HTTP/1.1 ', 'HTTP/', ''),
    },
  );
  const knownHeader = fc.oneof(
    fc.constant('Content-Type: application/json'),
    fc.constant('Content-Type: text/plain'),
    fc.constantFrom(...encodings, 'identity', 'x-foo').map((e) => `Content-Encoding: ${e}`),
    fc.constantFrom('100-continue', '100-Continue', 'foo', '', '200-ok').map((e) => `Expect: ${e}`),
    fc
      .constantFrom('chunked', 'gzip', 'chunked, gzip', 'gzip, chunked', 'identity', 'chunked, chunked')
      .map((e) => `Transfer-Encoding: ${e}`),
    fc.constantFrom('0', '1', '5', '-1', '1e3', '0x10', '99999999999999999999', '5, 6', ' 3 ').map((n) => `Content-Length: ${n}`),
    fc.constantFrom('close', 'keep-alive', 'Upgrade', 'upgrade, close').map((c) => `Connection: ${c}`),
    fc.constantFrom('websocket', 'h2c', 'HTTP/2.0').map((u) => `Upgrade: ${u}`),
    fc.constantFrom('https://shop.example', 'null', 'https://evil.example', '').map((o) => `Origin: ${o}`),
    fc.constantFrom('Bearer x', 'Bearer', 'Basic Zm9vOmJhcg==', '').map((a) => `Authorization: ${a}`),
    fc.constant('Host: localhost'),
    fc.constant('Host: a, b'),
  );
  const randomHeader = fc.oneof(
    fc.tuple(token, headerValue).map(([name, value]) => `${name}: ${value}`),
    fc.tuple(rawByteString(10), rawByteString(20)).map(([name, value]) => `${name}: ${value}`),
    fc.constantFrom(' Folded: value', 'NoColon', ': empty-name', 'Bad Name: x', 'X-Nul: a\u0000b', 'X-Del: \u007f'),
  );
  const oversized = fc.constantFrom(16 * 1024, 40 * 1024, 100 * 1024).map((size) => `X-Big: ${'a'.repeat(size)}`);
  const headers = fc.array(
    fc.oneof({ weight: 4, arbitrary: knownHeader }, { weight: 2, arbitrary: randomHeader }, { weight: 1, arbitrary: oversized }),
    { maxLength: 8 },
  );
  const body = fc.oneof(
    fc.constant(''),
    fc.constant('{}'),
    fc.constant('{"threadId":"cthr_fuzz","reason":"idle"}'),
    fc.constant('5\r\n{"a":\r\n0\r\n\r\n'),
    fc.constant('zz\r\n{}\r\n0\r\n\r\n'),
    fc.constant(gzipSync('{}').toString('latin1')),
    rawByteString(200),
  );
  return fc
    .record({ method, target, version, host: fc.boolean(), headers, body, eol: crlf, space: fc.constantFrom(' ', ' ', ' ', '  ', '\t') })
    .map(({ method, target, version, host, headers: lines, body: payload, eol, space }) => {
      const head = [`${method}${space}${target}${version ? space + version : ''}`, ...(host ? ['Host: 127.0.0.1'] : []), ...lines];
      return `${head.join(eol)}${eol}${eol}${payload}`;
    });
}

/** Why an answer breaks the contract, or undefined when it keeps it. */
export function contractViolation(answer: { status: number; contentType: string | null; body: string; head: boolean }): string | undefined {
  if (answer.status >= 500) return `answered ${answer.status}: ${answer.body.slice(0, 200)}`;
  if (answer.status < 400 || answer.head) return undefined;
  if (!/^application\/json\b/.test(answer.contentType ?? ''))
    return `a ${answer.status} that is not JSON (${answer.contentType ?? 'no content type'}): ${JSON.stringify(answer.body.slice(0, 200))}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return `a ${answer.status} whose body is not JSON: ${JSON.stringify(answer.body.slice(0, 200))}`;
  }
  const error = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const keys = parsed && typeof parsed === 'object' ? Object.keys(parsed) : [];
  if (keys.join() !== 'error' || typeof error?.code !== 'string' || typeof error.message !== 'string' || error.message === '') {
    return `a ${answer.status} that is not {"error": {"code", "message"}}: ${answer.body.slice(0, 200)}`;
  }
  const expected = (errorStatus as Record<string, number>)[error.code];
  if (expected !== answer.status) return `code "${error.code}" with status ${answer.status} (its status is ${expected ?? 'unknown'})`;
  return undefined;
}

/** Sends one fetch case and checks the answer; throws with the case on a violation. */
export async function checkFetchCase(baseUrl: string, request: FetchCase): Promise<void> {
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body ? { body: request.body } : {}),
    redirect: 'manual',
  });
  const body = await response.text();
  const violation = contractViolation({
    status: response.status,
    contentType: response.headers.get('content-type'),
    body,
    head: request.method === 'HEAD',
  });
  if (violation) throw new Error(violation);
}

/** Sends one raw case and checks the answer (a connection closed without one passes only for nothing sent). */
export async function checkRawCase(port: number, bytes: string): Promise<RawResponse | null> {
  const answer = await sendRaw(port, Buffer.from(bytes, 'latin1'));
  if (!answer) {
    if (bytes.trim() === '') return null;
    throw new Error('the connection closed without an answer');
  }
  const violation = contractViolation({
    status: answer.status,
    contentType: answer.headers['content-type'] ?? null,
    body: answer.body,
    head: /^HEAD\s/.test(bytes),
  });
  if (violation) throw new Error(violation);
  return answer;
}

export interface FuzzOptions {
  /** fetch cases (default 1000). */
  runs?: number;
  /** raw socket cases (default 500). */
  rawRuns?: number;
  /** Fixed for a reproducible run; fast-check prints the seed of a failing run. */
  seed?: number;
}

/** Runs both properties against one endpoint of a service listening on `baseUrl`. */
export async function fuzzEndpoint(baseUrl: string, endpoint: FuzzEndpoint, options: FuzzOptions = {}): Promise<void> {
  const port = Number(new URL(baseUrl).port);
  const seed = options.seed === undefined ? {} : { seed: options.seed };
  await fc.assert(
    fc.asyncProperty(fetchCase(endpoint), (request) => checkFetchCase(baseUrl, request)),
    { numRuns: options.runs ?? 1000, ...seed },
  );
  await fc.assert(
    fc.asyncProperty(rawCase(endpoint), async (bytes) => {
      await checkRawCase(port, bytes);
    }),
    { numRuns: options.rawRuns ?? 500, ...seed },
  );
}
