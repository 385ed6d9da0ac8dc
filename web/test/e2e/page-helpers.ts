import type { BrowserContext, Page } from 'playwright-core';

export interface LeadCall {
  reason: string;
  threadId: string;
  status: number | null;
  resourceType: string;
}

/**
 * Every trigger the page sends to /api/chatkit/lead (beacons included: their Blob bodies are
 * readable only at interception), with the lead service's status once it answered.
 */
export async function recordLeadCalls(context: BrowserContext): Promise<LeadCall[]> {
  const calls: LeadCall[] = [];
  await context.route('**/api/chatkit/lead', async (route) => {
    const request = route.request();
    const body = JSON.parse(request.postDataBuffer()?.toString() ?? '{}') as { reason?: string; threadId?: string };
    const call: LeadCall = { reason: body.reason ?? '', threadId: body.threadId ?? '', status: null, resourceType: request.resourceType() };
    calls.push(call);
    const response = await route.fetch();
    call.status = response.status();
    await route.fulfill({ response });
  });
  return calls;
}

/** Counts ChatKit's events on the page (they bubble out of the element). */
export async function watchChatEvents(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const counts: Record<string, number> = {};
    (window as unknown as { chatEvents: Record<string, number> }).chatEvents = counts;
    for (const name of ['chatkit.ready', 'chatkit.response.end', 'chatkit.error', 'chatkit.thread.change']) {
      document.addEventListener(name, () => {
        counts[name] = (counts[name] ?? 0) + 1;
      });
    }
  });
}

export const eventCount = (page: Page, name: string) =>
  page.evaluate((n) => (window as unknown as { chatEvents?: Record<string, number> }).chatEvents?.[n] ?? 0, name);

export async function openChat(page: Page): Promise<void> {
  await page.locator('.chat-launcher').click();
  await page.locator('openai-chatkit textarea').waitFor({ state: 'visible', timeout: 15_000 });
  await page.waitForFunction(() => ((window as unknown as { chatEvents?: Record<string, number> }).chatEvents?.['chatkit.ready'] ?? 0) > 0);
}

/** Sends a message through the composer and waits for the streamed answer to finish. */
export async function say(page: Page, text: string): Promise<string> {
  const before = await eventCount(page, 'chatkit.response.end');
  const assistantBefore = await page.locator('openai-chatkit .assistant').count();
  await page.locator('openai-chatkit textarea').fill(text);
  await page.locator('openai-chatkit textarea').press('Enter');
  await page.waitForFunction(
    (n) => ((window as unknown as { chatEvents?: Record<string, number> }).chatEvents?.['chatkit.response.end'] ?? 0) > n,
    before,
    { timeout: 30_000 },
  );
  const answers = page.locator('openai-chatkit .assistant');
  await answers.nth(assistantBefore).waitFor();
  return (await answers.nth(assistantBefore).textContent()) ?? '';
}

export const storedThread = (page: Page) => page.evaluate(() => localStorage.getItem('chatkit-thread-id'));

/**
 * Where keyboard focus is, through shadow roots: a path of tag names (`OPENAI-CHATKIT>TEXTAREA`),
 * `BODY` when nothing on the page has it, and whether it is inside `#chat-panel` (or the embed's panel).
 */
export const focusedPlace = (page: Page) =>
  page.evaluate(() => {
    let element: Element | null = document.activeElement;
    const path = [element?.tagName ?? 'NONE'];
    while (element?.shadowRoot?.activeElement) {
      element = element.shadowRoot.activeElement;
      path.push(element.tagName);
    }
    return { path: path.join('>'), inPanel: Boolean(document.activeElement?.closest('.chat-panel')) };
  });

/**
 * Records, for every answer, the length of the newest assistant message's text at each animation
 * frame from `chatkit.response.start` to `chatkit.response.end`: what the visitor sees painted.
 */
export async function watchPaints(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const answers: number[][] = [];
    (window as unknown as { paints: number[][] }).paints = answers;
    let frames: number[] | null = null;
    let index = 0;
    const assistantMessages = () => document.querySelector('openai-chatkit')?.shadowRoot?.querySelectorAll('.assistant');
    const record = () => {
      const length = assistantMessages()?.[index]?.textContent?.length ?? 0;
      if (frames && frames.at(-1) !== length) frames.push(length);
    };
    const sample = () => {
      if (!frames) return;
      record();
      requestAnimationFrame(sample);
    };
    document.addEventListener('chatkit.response.start', () => {
      index = assistantMessages()?.length ?? 0;
      frames = [];
      answers.push(frames);
      requestAnimationFrame(sample);
    });
    document.addEventListener('chatkit.response.end', () => {
      record();
      frames = null;
    });
  });
}

export const paints = (page: Page) => page.evaluate(() => (window as unknown as { paints: number[][] }).paints);

/** Whether the newest message is wholly inside the visible part of the conversation, and how far it scrolled. */
export const newestMessageInView = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('openai-chatkit')?.shadowRoot;
    const log = root?.querySelector('.log');
    const newest = [...(root?.querySelectorAll('.msg') ?? [])].at(-1);
    if (!log || !newest) return { inView: false, scrollTop: 0 };
    const area = log.getBoundingClientRect();
    const box = newest.getBoundingClientRect();
    return { inView: box.top >= area.top - 1 && box.bottom <= area.bottom + 1, scrollTop: log.scrollTop };
  });
/** The visitor id and its proof as the widget keeps them. */
export const visitorStorage = (page: Page) =>
  page.evaluate(() => ({ user: localStorage.getItem('chatkit-user'), proof: localStorage.getItem('chatkit-visitor-proof') }));
