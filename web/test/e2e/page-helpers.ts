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

/** The visitor id and its proof as the widget keeps them. */
export const visitorStorage = (page: Page) =>
  page.evaluate(() => ({ user: localStorage.getItem('chatkit-user'), proof: localStorage.getItem('chatkit-visitor-proof') }));
