import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  /** Lower-cased names; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Writes `bytes` on a fresh TCP connection exactly as given (no client normalises anything) and
 * returns the first final (non-1xx) response once it is complete, or null when the server closed
 * without answering. A request the server is still waiting on after `idleMs` (an incomplete one)
 * gets the writing side ended, as a client giving up would: the server then answers or closes.
 * The writing side is not ended at once, because Node closes a half-closed connection whose
 * request is still being handled. Rejects when the server does neither within `timeoutMs`.
 */
export function sendRaw(
  port: number,
  bytes: Buffer | string,
  options: { host?: string; idleMs?: number; timeoutMs?: number } = {},
): Promise<RawResponse | null> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: options.host ?? '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (outcome: () => RawResponse | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      clearTimeout(deadline);
      socket.destroy();
      try {
        resolve(outcome());
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    const idle = setTimeout(() => socket.end(), options.idleMs ?? 150);
    const deadline = setTimeout(() => {
      settle(() => {
        throw new Error(`no answer and no close within ${options.timeoutMs ?? 3000} ms`);
      });
    }, options.timeoutMs ?? 3000);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const response = completeResponse(Buffer.concat(chunks));
      if (response) settle(() => response);
    });
    // A server that answers and closes while we still write may reset the connection: what was read still counts.
    socket.on('error', () => undefined);
    socket.on('close', () => settle(() => parseFirstResponse(Buffer.concat(chunks))));
    socket.write(bytes);
  });
}

/** The first final response if all of it has arrived (a body without a length ends at close only). */
function completeResponse(data: Buffer): RawResponse | undefined {
  try {
    const response = parseFirstResponse(data, true);
    return response ?? undefined;
  } catch {
    return undefined;
  }
}

/** The first final response in what a server wrote (1xx interim answers skipped). */
function parseFirstResponse(data: Buffer, complete = false): RawResponse | null {
  let rest = data;
  for (;;) {
    if (rest.length === 0) return null;
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) throw new Error(`incomplete response head: ${JSON.stringify(rest.toString('latin1').slice(0, 200))}`);
    const [statusLine = '', ...lines] = rest.subarray(0, end).toString('latin1').split('\r\n');
    const match = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine);
    if (!match?.[1]) throw new Error(`not an HTTP/1.x status line: ${JSON.stringify(statusLine)}`);
    const status = Number(match[1]);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    rest = rest.subarray(end + 4);
    if (status >= 100 && status < 200) continue;
    const body = readBody(rest, headers, complete);
    return body ? { status, headers, body: body.toString('utf8') } : null;
  }
}

/** The body; with `complete`, null until all of it is there (length reached, last chunk seen). */
function readBody(rest: Buffer, headers: Record<string, string>, complete: boolean): Buffer | null {
  if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    return complete && rest.length < length ? null : rest.subarray(0, length);
  }
  if (!/chunked/i.test(headers['transfer-encoding'] ?? '')) return complete ? null : rest;
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n', at);
    if (lineEnd < 0) return complete ? null : Buffer.concat(parts);
    const size = parseInt(rest.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) return Buffer.concat(parts);
    if (size === 0) return Buffer.concat(parts);
    if (complete && rest.length < lineEnd + 2 + size) return null;
    parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
