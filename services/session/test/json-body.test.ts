import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import express, { type RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler, jsonBody } from '@lead-intake/shared';

/** body-parser checking the type itself, as the endpoints used it. */
function bodyParserOnly(limit: string, types: string[]): RequestHandler[] {
  const parse = express.json({ limit, strict: true, type: types });
  const requireJson: RequestHandler = (req, res, next) => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody) {
      req.body = {};
      return parse(req, res, next);
    }
    if (!req.is(types)) return next(Object.assign(new Error('type'), { type: 'unsupported' }));
    parse(req, res, next);
  };
  return [requireJson];
}

const echo = (readers: RequestHandler[]) => {
  const app = express();
  app.post('/', ...readers, (req, res) => {
    res.json({ body: req.body });
  });
  app.use(errorHandler());
  return app;
};

let servers: Server[] = [];
let ports: { fast: number; reference: number };

beforeAll(async () => {
  const listen = (app: express.Express) =>
    new Promise<Server>((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve(server));
    });
  servers = [
    await listen(echo(jsonBody({ limit: '1kb', acceptTextPlain: true }))),
    await listen(echo(bodyParserOnly('1kb', ['application/json', 'text/plain']))),
  ];
  ports = { fast: (servers[0]?.address() as AddressInfo).port, reference: (servers[1]?.address() as AddressInfo).port };
});
afterAll(() => {
  for (const server of servers) server.close();
});

/** Status and body text for a raw request (exact headers, no client normalization). */
function send(port: number, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = 'application/json';
const cases: Array<[string, string | undefined, Buffer, Record<string, string>?]> = [
  ['an object', json, Buffer.from('{"user":"anon_0123456789","locale":"es"}')],
  ['an array', json, Buffer.from('[1,2]')],
  ['utf-8 charset', `${json}; charset=utf-8`, Buffer.from('{"a":"ñ"}')],
  ['quoted UTF-8 charset', `${json}; charset="UTF-8"`, Buffer.from('{"a":1}')],
  ['beacon text', 'text/plain;charset=UTF-8', Buffer.from('{"threadId":"cthr_1"}')],
  ['leading whitespace', json, Buffer.from(' \n\t{"a":1}')],
  ['a byte-order mark', json, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')])],
  ['invalid UTF-8', json, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])],
  ['a string', json, Buffer.from('"hello"')],
  ['a number', json, Buffer.from('42')],
  ['whitespace only', json, Buffer.from('   ')],
  ['broken JSON', json, Buffer.from('{"a":')],
  ['latin1 charset', `${json}; charset=latin1`, Buffer.from('{"a":1}')],
  ['utf-16 charset', `${json}; charset=utf-16le`, Buffer.from('{"a":1}', 'utf16le')],
  ['another parameter', `${json}; boundary=x`, Buffer.from('{"a":1}')],
  ['too large', json, Buffer.from(JSON.stringify({ a: 'x'.repeat(2000) }))],
  ['exactly the limit', json, Buffer.from(JSON.stringify({ a: 'x'.repeat(1024 - 8) }))],
  ['gzip', json, gzipSync('{"a":1}'), { 'content-encoding': 'gzip' }],
  ['identity coding', json, Buffer.from('{"a":1}'), { 'content-encoding': 'Identity' }],
  ['unknown coding', json, Buffer.from('{"a":1}'), { 'content-encoding': 'snappy' }],
  ['an empty body', json, Buffer.alloc(0)],
  ['wrong type', 'text/html', Buffer.from('{"a":1}')],
];

describe('JSON bodies', () => {
  it('when bodies of every kind arrive, then jsonBody (one type check) answers exactly as body-parser checking the type again', async () => {
    for (const [name, type, body, extra] of cases) {
      const headers = { ...(type ? { 'content-type': type } : {}), 'content-length': String(body.length), ...extra };
      const [fast, reference] = await Promise.all([send(ports.fast, headers, body), send(ports.reference, headers, body)]);
      if (name === 'wrong type') {
        expect([fast.status, reference.status]).toEqual([415, 500]); // the reference app has no AppError for it
        continue;
      }
      expect({ name, ...fast }).toEqual({ name, ...reference });
    }
  });

  it('when a chunked body arrives, then it is read too', async () => {
    const chunked = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: ports.fast, method: 'POST', path: '/', headers: { 'content-type': json } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.write('{"a":');
      req.end('1}');
    });
    expect(chunked).toEqual({ status: 200, text: '{"body":{"a":1}}' });
  });
});
