/**
 * Visitor tokens for /api/chatkit: minted at /api/chatkit/session, kept in memory, refreshed a
 * minute before they expire (or at once after a 401). The visitor id and its proof (what gets
 * this identity back on the next mint: after a reload, a refresh, another visit) are kept in
 * localStorage; an id without its proof gets a new identity from the server (decision 0022).
 */
export interface VisitorSessionDeps {
  sessionUrl: string;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  userKey: string;
  proofKey: string;
  fetch: typeof fetch;
  now: () => number;
  context: () => { locale: string; pageUrl: string };
}

export const REFRESH_MARGIN_MS = 60_000;

export class SessionUnavailableError extends Error {}

export interface VisitorSession {
  token(options?: { force?: boolean }): Promise<string>;
  user(): string | null;
  /** ChatKit's `api.fetch`: adds the token and the page context, retries once on 401. */
  fetch: typeof fetch;
}

export function createVisitorSession(deps: VisitorSessionDeps): VisitorSession {
  let current: { token: string; expiresAtMs: number } | null = null;
  let pending: Promise<string> | null = null;

  const mint = async (): Promise<string> => {
    const { locale, pageUrl } = deps.context();
    const user = deps.storage.getItem(deps.userKey);
    const proof = deps.storage.getItem(deps.proofKey);
    let response: Response;
    try {
      response = await deps.fetch(deps.sessionUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ locale, pageUrl, ...(user ? { user } : {}), ...(proof ? { proof } : {}), current: current?.token ?? null }),
      });
    } catch (error) {
      throw new SessionUnavailableError(`session endpoint unreachable: ${String(error)}`);
    }
    if (!response.ok) throw new SessionUnavailableError(`session endpoint answered ${response.status}`);
    const body = (await response.json()) as { token?: unknown; expires_at?: unknown; user?: unknown; proof?: unknown };
    if (typeof body.token !== 'string' || typeof body.expires_at !== 'number' || typeof body.user !== 'string') {
      throw new SessionUnavailableError('session endpoint answered an unexpected body');
    }
    deps.storage.setItem(deps.userKey, body.user);
    if (typeof body.proof === 'string') deps.storage.setItem(deps.proofKey, body.proof);
    current = { token: body.token, expiresAtMs: body.expires_at * 1000 };
    return body.token;
  };

  const token = (options: { force?: boolean } = {}): Promise<string> => {
    if (!options.force && current && current.expiresAtMs - REFRESH_MARGIN_MS > deps.now()) return Promise.resolve(current.token);
    pending ??= mint().finally(() => {
      pending = null;
    });
    return pending;
  };

  const withAuth = async (input: RequestInfo | URL, init: RequestInit | undefined, force: boolean) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${await token({ force })}`);
    const { locale, pageUrl } = deps.context();
    headers.set('x-chatkit-locale', locale);
    headers.set('x-chatkit-page-url', pageUrl);
    return deps.fetch(input, { ...init, headers });
  };

  return {
    token,
    user: () => deps.storage.getItem(deps.userKey),
    fetch: async (input, init) => {
      const response = await withAuth(input, init, false);
      // An expired or rotated-out token: mint a new one and try once more.
      return response.status === 401 ? withAuth(input, init, true) : response;
    },
  };
}
