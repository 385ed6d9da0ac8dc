/**
 * The customer's side end to end: Debian chromium → the gateway applying firebase.json → the
 * real services on the local cloud, with the development ChatKit element.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDLE_SECONDS, startBrowserEnv, until, type BrowserEnv } from './browser-env.js';
import {
  eventCount,
  newestMessageInView,
  openChat,
  paints,
  recordLeadCalls,
  say,
  storedThread,
  visitorStorage,
  watchChatEvents,
  watchPaints,
} from './page-helpers.js';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
}, 180_000);
afterAll(async () => {
  await env?.stop();
}, 60_000);

describe('a customer chats on the shop site', () => {
  it('when the customer opens the chat and gives a phone number, then a token is minted, the answer streams from /api/chatkit and exactly one lead email arrives', async () => {
    const context = await env.newContext();
    const page = await context.newPage();
    await watchChatEvents(page);
    const minted: number[] = [];
    const chatCalls: string[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('/api/chatkit/session')) minted.push(response.status());
      if (response.url().endsWith('/api/chatkit')) chatCalls.push(response.headers()['content-type'] ?? '');
    });
    await page.goto(`${env.site}/en/`);
    await openChat(page);
    const first = await say(page, 'Hi, the driver seat of my 2018 Honda Civic is torn');
    expect(first.length).toBeGreaterThan(0);
    expect(minted).toEqual([200]);
    expect(chatCalls.some((type) => type.startsWith('text/event-stream'))).toBe(true);
    const threadId = await storedThread(page);
    expect(threadId).toMatch(/^cthr_/);
    await say(page, "I'm Maria, call me at 408-555-0199");

    const emails = await until(
      () => env.emailsFor(threadId!),
      (list) => list.length > 0,
      45_000,
    );
    expect(emails).toHaveLength(1);
    expect(emails[0]!.body.text).toContain('408');
    // More triggers (idle, close) never make a second email.
    await page.waitForTimeout(IDLE_SECONDS * 1000 + 1500);
    await page.locator('openai-chatkit .close').click();
    await page.waitForTimeout(1500);
    expect(await env.emailsFor(threadId!)).toHaveLength(1);
    await context.close();
  });

  it.each(['reload the page', 'close the chat and reopen it'] as const)(
    'when the customer describes the job, %s, gives a number and closes the chat, then the lead email leaves within 10 s of the close, and what they add later comes as one threaded follow-up',
    async (interruption) => {
      const context = await env.newContext();
      const calls = await recordLeadCalls(context);
      const page = await context.newPage();
      await watchChatEvents(page);
      await page.goto(`${env.site}/en/`);
      await openChat(page);
      await say(page, 'Hi, the cushions of my patio sofa are torn and faded');
      const threadId = (await storedThread(page))!;
      if (interruption === 'reload the page') {
        await page.reload();
        // The unloading page's beacon: the lead service took it (the route above cannot see beacons of a page going away).
        await expect
          .poll(async () => (await env.leadRecord(threadId))?.history?.some((entry) => entry.trigger === 'pagehide'), { timeout: 15_000 })
          .toBe(true);
      } else {
        await page.keyboard.press('Escape');
        await expect.poll(() => calls.filter((c) => c.reason === 'chat_closed' && c.status === 200).length).toBe(1);
      }
      // The evaluation of that first trigger found no contact: the lead service said so.
      await expect.poll(async () => (await env.leadRecord(threadId))?.lastOutcome?.outcome, { timeout: 15_000 }).toBe('missing_contact');
      await openChat(page);
      expect(await storedThread(page)).toBe(threadId);
      await say(page, 'I am Ana, call me at 408-555-0166');
      await page.locator('openai-chatkit .close').click();
      const closedAt = Date.now();
      const [lead] = await until(
        () => env.emailsFor(threadId),
        (list) => list.length > 0,
        10_000,
      );
      expect(lead, 'the lead email within 10 s of the close').toBeDefined();
      expect(Date.now() - closedAt).toBeLessThanOrEqual(10_000);
      expect(lead!.body.text).toContain('patio sofa');
      expect(lead!.body.text).toMatch(/408.?555.?0166/);

      // After the email: a detail the shop did not have, then the customer leaves.
      await openChat(page);
      await say(page, 'Also the back cushions are moldy, and 650-555-0177 works too');
      await page.locator('openai-chatkit .close').click();
      const emails = await until(
        () => env.emailsFor(threadId),
        (list) => list.length > 1,
        20_000,
      );
      expect(emails).toHaveLength(2);
      const followUp = emails.find((email) => email.messageId !== lead!.messageId)!;
      expect(followUp.subject).toBe(`Re: ${lead!.subject}`);
      expect(followUp.headers?.find((h) => h.name === 'In-Reply-To')?.value).toContain(lead!.messageId);
      expect(followUp.body.text).toContain('back cushions are moldy');
      expect(followUp.body.text).not.toContain('patio sofa');
      await context.close();
    },
  );

  it('when a customer holds a longer conversation on a phone, then no request fails, each answer paints progressively and the newest message is always in view', async () => {
    const context = await env.newContext(PHONE);
    const page = await context.newPage();
    await watchChatEvents(page);
    await watchPaints(page);
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(`${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`));
    await page.goto(`${env.site}/en/`);
    await openChat(page);
    const turns = [
      'Hi, the driver seat of my 2018 Honda Civic is torn',
      'It is a rip along the side bolster, about four inches',
      'Can you match the original grey cloth?',
      'I am Sam, call me at 408-555-0166',
      'Do you also fix sagging headliners?',
      'Great, what are your hours on Saturday?',
    ];
    for (const text of turns) {
      const answer = await say(page, text);
      expect(answer.length).toBeGreaterThan(0);
      expect(await newestMessageInView(page)).toMatchObject({ inView: true });
    }
    // Six exchanges do not fit on a phone: the conversation really scrolled to keep up.
    expect((await newestMessageInView(page)).scrollTop).toBeGreaterThan(0);
    const answers = await page.locator('openai-chatkit .assistant').allTextContents();
    const painted = await paints(page);
    expect(painted).toHaveLength(turns.length);
    painted.forEach((lengths, index) => {
      // Many frames, each showing more of the answer, the last one all of it.
      expect(lengths.length).toBeGreaterThanOrEqual(5);
      expect([...lengths].sort((a, b) => a - b)).toEqual(lengths);
      expect(lengths.at(-1)).toBe(answers[index]!.length);
    });
    expect(failed).toEqual([]);
    await context.close();
  });

  it('when the page is refreshed, then the same thread comes back with its messages', async () => {
    const context = await env.newContext();
    const page = await context.newPage();
    await watchChatEvents(page);
    await page.goto(`${env.site}/en/`);
    await openChat(page);
    await say(page, 'My headliner is sagging');
    const threadId = await storedThread(page);
    await page.reload();
    await openChat(page);
    await expect.poll(() => page.locator('openai-chatkit .user').count()).toBe(1);
    expect(await page.locator('openai-chatkit .user').first().textContent()).toBe('My headliner is sagging');
    expect(await storedThread(page)).toBe(threadId);
    await context.close();
  });

  it('when the visitor token is refreshed (the server refuses the old one), then the widget re-mints with its proof and the same conversation goes on', async () => {
    const context = await env.newContext();
    const page = await context.newPage();
    await watchChatEvents(page);
    await page.goto(`${env.site}/en/`);
    await openChat(page);
    await say(page, 'My seat belt cover is torn');
    const threadId = await storedThread(page);
    const before = await visitorStorage(page);
    expect(before.proof).toEqual(expect.any(String));
    // The next ChatKit request is answered 401, as for an expired or rotated-out token.
    let refused = 0;
    await page.route('**/api/chatkit', async (route) => {
      if (refused === 0) {
        refused += 1;
        await route.fulfill({
          status: 401,
          contentType: 'application/json',
          body: '{"error":{"code":"unauthorized","message":"expired"}}',
        });
      } else await route.continue();
    });
    const mints: Array<{ user?: string; proof?: string }> = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/chatkit/session'))
        mints.push(JSON.parse(request.postData() ?? '{}') as { user?: string; proof?: string });
    });
    await say(page, 'It is a 2019 Toyota Tacoma');
    expect(refused).toBe(1);
    expect(mints).toEqual([expect.objectContaining({ user: before.user, proof: before.proof })]);
    expect(await storedThread(page)).toBe(threadId);
    expect((await visitorStorage(page)).user).toBe(before.user);
    await page.reload();
    await openChat(page);
    await expect.poll(() => page.locator('openai-chatkit .user').count()).toBe(2);
    await context.close();
  });

  it("when a visitor shows another visitor's id without its proof (or comes from the widget before proofs), then a new identity and a new conversation, never the other's", async () => {
    const owner = await env.newContext();
    const ownerPage = await owner.newPage();
    await watchChatEvents(ownerPage);
    await ownerPage.goto(`${env.site}/en/`);
    await openChat(ownerPage);
    await say(ownerPage, 'I am Dana, my number is 408-555-0177');
    const ownerThread = await storedThread(ownerPage);
    const ownerUser = (await visitorStorage(ownerPage)).user;

    const other = await env.newContext();
    const page = await other.newPage();
    await watchChatEvents(page);
    await page.goto(`${env.site}/en/`);
    await page.evaluate(
      ([user, thread]) => {
        localStorage.setItem('chatkit-user', user!);
        localStorage.setItem('chatkit-thread-id', thread!);
      },
      [ownerUser, ownerThread],
    );
    await page.reload();
    await openChat(page);
    await expect.poll(() => storedThread(page)).toBeNull();
    expect(await page.locator('openai-chatkit .user').count()).toBe(0);
    expect(await page.locator('openai-chatkit').textContent()).not.toContain('408-555-0177');
    const mine = await visitorStorage(page);
    expect(mine.user).toMatch(/^anon_/);
    expect(mine.user).not.toBe(ownerUser);
    await say(page, 'Can you fix a torn seat?');
    expect(await storedThread(page)).toMatch(/^cthr_/);
    expect(await storedThread(page)).not.toBe(ownerThread);
    await owner.close();
    await other.close();
  });

  it('when the saved thread cannot be loaded, then it is cleared and a new conversation starts', async () => {
    const context = await env.newContext();
    const page = await context.newPage();
    await watchChatEvents(page);
    await page.goto(`${env.site}/en/`);
    await page.evaluate(() => localStorage.setItem('chatkit-thread-id', 'cthr_someone_elses_or_expired'));
    await page.reload();
    await openChat(page);
    await expect.poll(() => storedThread(page)).toBeNull();
    await say(page, 'Can you fix a torn seat?');
    expect(await storedThread(page)).toMatch(/^cthr_/);
    expect(await storedThread(page)).not.toBe('cthr_someone_elses_or_expired');
    await context.close();
  });

  it('when the customer goes quiet, closes the panel, or hides the tab, then idle, chat_closed and pagehide reach the lead service', async () => {
    const context = await env.newContext();
    const calls = await recordLeadCalls(context);
    const page = await context.newPage();
    await watchChatEvents(page);
    await page.goto(`${env.site}/en/`);
    await openChat(page);
    await say(page, 'Do you repair boat seats?');
    const threadId = await storedThread(page);
    await expect.poll(() => calls.filter((c) => c.reason === 'idle').length, { timeout: (IDLE_SECONDS + 5) * 1000 }).toBe(1);

    await page.keyboard.press('Escape');
    await expect.poll(() => calls.filter((c) => c.reason === 'chat_closed').length).toBe(1);
    expect(await page.locator('#chat-panel').isHidden()).toBe(true);

    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await expect.poll(() => calls.filter((c) => c.reason === 'pagehide').length).toBeGreaterThanOrEqual(1);
    const pagehide = calls.find((c) => c.reason === 'pagehide')!;
    expect(pagehide.resourceType).toBe('ping'); // navigator.sendBeacon
    for (const call of calls) expect(call.threadId).toBe(threadId);
    await expect.poll(() => calls.every((c) => c.status === 200), { timeout: 10_000 }).toBe(true);
    await context.close();
  });

  it('when the ChatKit runtime is blocked, then the panel shows the fallback card with the shop phone, and retry works once it loads', async () => {
    const context = await env.newContext();
    const page = await context.newPage();
    await watchChatEvents(page);
    let blocked = true;
    await page.route('**/__dev/chatkit.js', (route) => (blocked ? route.abort() : route.continue()));
    await page.goto(`${env.site}/es/`);
    await page.locator('.chat-launcher').click();
    const card = page.locator('[data-chat-fallback]');
    await card.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await card.locator('h2').textContent()).toBe('El chat no está disponible en este momento');
    expect(await card.locator('a.fallback-call').getAttribute('href')).toBe('tel:+14085550142');
    expect(await card.locator('a.fallback-email').getAttribute('href')).toMatch(/^mailto:/);
    blocked = false;
    await card.locator('.fallback-retry').click();
    await page.locator('openai-chatkit textarea').waitFor({ state: 'visible', timeout: 10_000 });
    await expect.poll(() => eventCount(page, 'chatkit.ready')).toBe(1);
    await context.close();
  });

  it.each([
    ['never says ready', "customElements.define('openai-chatkit', class extends HTMLElement { setOptions() {} });", 0],
    [
      'fails at once (an early chatkit.error)',
      "customElements.define('openai-chatkit', class extends HTMLElement { setOptions() { setTimeout(() => this.dispatchEvent(new CustomEvent('chatkit.error', { detail: { error: new Error('boom') }, bubbles: true })), 300); } });",
      0,
    ],
    ['is too slow to arrive', "customElements.define('openai-chatkit', class extends HTMLElement { setOptions() {} });", 5_000],
  ])('when the runtime %s, then the fallback card replaces the panel', async (_name, script, delayMs) => {
    const context = await env.newContext();
    const page = await context.newPage();
    await page.route('**/__dev/chatkit.js', async (route) => {
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      await route.fulfill({ contentType: 'text/javascript', body: script }).catch(() => undefined);
    });
    await page.goto(`${env.site}/en/`);
    await page.locator('.chat-launcher').click();
    await page.locator('[data-chat-fallback]').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await page.locator('[data-chat-fallback] a.fallback-call').getAttribute('href')).toBe('tel:+14085550142');
    expect(await page.locator('[data-chat-mount]').isHidden()).toBe(true);
    await context.close();
  });

  it('when the session endpoint fails, then the fallback card shows instead of a blank panel', async () => {
    const context = await env.newContext();
    const page = await context.newPage();
    await page.route('**/api/chatkit/session', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"unavailable"}' }),
    );
    await page.goto(`${env.site}/en/`);
    await page.locator('.chat-launcher').click();
    await page.locator('[data-chat-fallback]').waitFor({ state: 'visible', timeout: 10_000 });
    await context.close();
  });

  it("when the build names the session service's own streaming URL (production: Hosting buffers SSE), then the widget streams from there and mints through the site", async () => {
    const context = await env.newContext();
    const page = await context.newPage();
    await watchChatEvents(page);
    const hosts: Record<string, string[]> = { chat: [], session: [] };
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/chatkit') hosts.chat!.push(url.origin);
      if (url.pathname === '/api/chatkit/session') hosts.session!.push(url.origin);
    });
    await page.goto(`${env.siteDirect}/en/`);
    const config = JSON.parse((await page.locator('#chat-config').textContent()) ?? '{}') as { chatKitUrl: string };
    expect(config.chatKitUrl).toBe(`${env.stack.urls.session}/api/chatkit`);
    await openChat(page);
    expect((await say(page, 'Do you do headliners?')).length).toBeGreaterThan(0);
    expect(new Set(hosts.chat)).toEqual(new Set([new URL(env.stack.urls.session).origin]));
    expect(new Set(hosts.session)).toEqual(new Set([env.siteDirect]));
    await context.close();
  });
});
