import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { parseVisitorTokenKeys } from '../src/adapters/visitor-token-keys.js';
import { JwtVisitorTokens } from '../src/adapters/jwt-visitor-tokens.js';
import { mintVisitorSession } from '../src/use-cases/mint-visitor-session.js';
import { expectJsonError, SITE_ORIGIN, startTestService, TEST_KEYS, type TestService } from './harness.js';
import { ChatKitTestClient, userInput } from './chatkit-client.js';

interface Minted {
  token: string;
  expires_at: number;
  user: string;
  proof?: string;
}

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.close();
});

async function mint(body: Record<string, unknown>): Promise<Minted> {
  const response = await service.post('/api/chatkit/session', { locale: 'en', pageUrl: `${SITE_ORIGIN}/en/`, ...body });
  if (response.status !== 200) throw new Error(`mint: ${response.status} ${await response.text()}`);
  return (await response.json()) as Minted;
}
const client = (minted: Minted) => new ChatKitTestClient(service.url, minted.token, minted.user, SITE_ORIGIN);

/** A visitor with a conversation holding contact details. */
async function alice() {
  const minted = await mint({});
  const visitor = client(minted);
  const created = await visitor.stream('threads.create', { input: userInput('I am Alice, call me at 408-555-0101') });
  const threadId = (created.events[0] as { thread: { id: string } }).thread.id;
  return { minted, threadId };
}

describe('a visitor identity only its holder can present', () => {
  it('when a session names a known visitor id without proof, then it gets a new identity and none of that visitor’s conversations', async () => {
    const victim = await alice();
    const attacker = await mint({ user: victim.minted.user });
    expect(attacker.user).not.toBe(victim.minted.user);
    expect(attacker.user).toMatch(/^anon_[A-Za-z0-9_-]{8,64}$/);
    const visitor = client(attacker);
    expect((await visitor.listThreads()).data).toEqual([]);
    for (const [type, params] of [
      ['threads.get_by_id', { thread_id: victim.threadId }],
      ['items.list', { thread_id: victim.threadId }],
      ['threads.update', { thread_id: victim.threadId, title: 'mine now' }],
      ['threads.delete', { thread_id: victim.threadId }],
    ] as const) {
      await expectJsonError(await visitor.request(type, params), 404, 'not_found');
    }
    expect((await client(victim.minted).allItems(victim.threadId)).length).toBe(2);
  });

  it('when a session presents the proof it was given (a reload, a refresh), then it keeps its identity and its conversations', async () => {
    const first = await alice();
    expect(first.minted.proof).toEqual(expect.any(String));
    const reloaded = await mint({ user: first.minted.user, proof: first.minted.proof, current: null });
    expect(reloaded.user).toBe(first.minted.user);
    expect(reloaded.proof).toBeUndefined(); // still good: the browser keeps the one it has
    const refreshed = await mint({ proof: first.minted.proof, current: reloaded.token });
    expect(refreshed.user).toBe(first.minted.user);
    expect((await client(refreshed).getThread(first.threadId)).items.data).toHaveLength(2);
  });

  it('when the proof is forged, another visitor’s with a swapped id, expired, unknown-keyed or a visitor token, then a new identity', async () => {
    const victim = await alice();
    const mine = await mint({});
    const [h, p, s] = mine.proof!.split('.');
    const payload = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>;
    const swapped = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: victim.minted.user })).toString('base64url')}.${s}`;
    const otherKey = await new SignJWT({ ...payload, sub: victim.minted.user })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .sign(new Uint8Array(32).fill(9));
    const keys = await parseVisitorTokenKeys(TEST_KEYS);
    const longAgo = new JwtVisitorTokens(
      async () => keys,
      { tokenTtlSeconds: 900, proofTtlSeconds: 60 },
      () => new Date(Date.now() - 3_600_000),
    );
    const expired = (await longAgo.issueProof(victim.minted.user)).proof;
    for (const proof of [swapped, otherKey, expired, victim.minted.token, 'garbage', '']) {
      const minted = await mint({ user: victim.minted.user, proof });
      expect(minted.user).not.toBe(victim.minted.user);
    }
  });

  it('when only the current visitor token is presented (it travels on every request), then it proves nothing: a new identity', async () => {
    const victim = await alice();
    const minted = await mint({ user: victim.minted.user, current: victim.minted.token });
    expect(minted.user).not.toBe(victim.minted.user);
  });

  it('when a proof is sent as the bearer token of /api/chatkit, then 401: a proof only re-mints', async () => {
    const minted = await mint({});
    await expectJsonError(
      await new ChatKitTestClient(service.url, minted.proof!, minted.user, SITE_ORIGIN).request('threads.list', {}),
      401,
      'unauthorized',
    );
  });
});

describe('visitor ids in the logs', () => {
  it('when visitors mint, chat and read, then no log line holds a visitor id, and each carries a keyed hash of it', async () => {
    const { minted, threadId } = await alice();
    const visitor = client(minted);
    await visitor.stream('threads.add_user_message', { thread_id: threadId, input: userInput('Leather seats') });
    await visitor.listThreads();
    await mint({ user: minted.user });
    await mint({ user: minted.user, proof: minted.proof });
    const text = service.logs.text;
    expect(text).not.toContain(minted.user);
    expect(text).not.toContain(minted.user.slice('anon_'.length));
    const plainHash = createHash('sha256').update(minted.user).digest('base64url').slice(0, 16);
    expect(text).not.toContain(plainHash);
    const lines = service.logs.lines.map((line) => JSON.parse(line) as { message: string; visitor?: string; threadId?: string });
    const turnLines = lines.filter((line) => line.threadId === threadId && /thread created|turn ended/.test(line.message));
    expect(turnLines.length).toBeGreaterThanOrEqual(3);
    const hashes = new Set(turnLines.map((line) => line.visitor));
    expect(hashes.size).toBe(1);
    const [hash] = hashes;
    expect(hash).toMatch(/^[A-Za-z0-9_-]{16}$/);
    // Keyed: nobody without the service's key can recompute it from an id.
    expect(hash).not.toBe(createHmac('sha256', '').update(minted.user).digest('base64url').slice(0, 16));
    const other = await alice();
    const otherHash = service.logs.lines
      .map((line) => JSON.parse(line) as { threadId?: string; visitor?: string })
      .find((line) => line.threadId === other.threadId)?.visitor;
    expect(otherHash).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(otherHash).not.toBe(hash);
  });
});

describe('proof renewal', () => {
  it('when a proof is past half its life or signed by a key that no longer signs, then the mint answers a new one for the same visitor', async () => {
    const before = await parseVisitorTokenKeys(TEST_KEYS);
    const rotated = await parseVisitorTokenKeys(`k2:${Buffer.alloc(32, 8).toString('base64url')},${TEST_KEYS}`);
    let now = Date.now();
    const tokens = (keys: typeof before) =>
      new JwtVisitorTokens(
        async () => keys,
        { tokenTtlSeconds: 900, proofTtlSeconds: 1000 },
        () => new Date(now),
      );
    const deps = (keys: typeof before) => ({
      tokens: tokens(keys),
      resolveLocale: () => 'en',
      now: () => Math.floor(now / 1000),
      proofTtlSeconds: 1000,
    });
    const kid = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;

    const first = await mintVisitorSession(deps(before), {});
    now += 300_000;
    const young = await mintVisitorSession(deps(before), { proof: first.proof! });
    expect([young.user, young.proof]).toEqual([first.user, undefined]);
    now += 300_000;
    const renewed = await mintVisitorSession(deps(before), { proof: first.proof! });
    expect(renewed.user).toBe(first.user);
    expect(renewed.proof).not.toBe(first.proof);
    expect((await tokens(before).verifyProof(renewed.proof!))?.expiresAt).toBe(Math.floor(now / 1000) + 1000);

    const afterRotation = await mintVisitorSession(deps(rotated), { proof: renewed.proof! });
    expect(afterRotation.user).toBe(first.user);
    expect([kid(renewed.proof!), kid(afterRotation.proof!)]).toEqual(['k1', 'k2']);
  });
});
