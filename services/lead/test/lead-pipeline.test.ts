import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistantMessage, chatThread, loadConversationFixtures, userMessage } from '@lead-intake/dev-tools/fixtures/index';
import { startLeadEnv, waitFor, CONVERSATION_URL_TEMPLATE, SHOP_INBOX, SENDER, type LeadEnv } from './harness.js';

const RESPONSES = 'POST /v1/responses';
let seq = 0;
const newThreadId = (label: string) => `cthr_pipe_${label}_${Date.now().toString(36)}_${(seq += 1)}`;

const leadConversation = (threadId: string) =>
  chatThread(threadId, [
    userMessage('Hi! The driver seat of my 2018 Honda Civic has a big tear in the leather.'),
    assistantMessage('Sorry to hear that! We can repair or replace the panel. Call us at (408) 555-0142 any time.'),
    userMessage('Great. I am Maria Lopez, you can reach me at (650) 555-0199 or maria.lopez@example.com'),
    assistantMessage('Thanks Maria, the shop will call you back shortly.'),
  ]);

const noContactConversation = (threadId: string) =>
  chatThread(threadId, [
    userMessage('How much to redo a headliner on a 2012 Camry?'),
    assistantMessage('We would need to see it, but we can give you an estimate. What is a good way to reach you?'),
  ]);

const contactButNoNeed = (threadId: string) =>
  chatThread(threadId, [userMessage('hello, call me 650-555-0123'), assistantMessage('Sure! What can we help you with?')]);

const fixtures = await loadConversationFixtures();
const fixture = (name: string) => {
  const found = fixtures.find((f) => f.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
};

let env: LeadEnv;
beforeAll(async () => {
  env = await startLeadEnv();
});
afterAll(async () => {
  await env.close();
});

describe('a lead conversation', () => {
  it('when the customer goes idle after giving contact info, then the shop gets exactly one actionable email', async () => {
    const threadId = newThreadId('idle');
    await env.seed(leadConversation(threadId));

    const response = await env.trigger({ threadId, reason: 'idle', locale: 'en', pageUrl: 'https://shop.example/en/seats' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, sent: false, reason: 'queued' });

    const [email] = await waitFor(async () => {
      const emails = await env.emailsFor(threadId);
      return emails.length > 0 && emails;
    });
    await env.settle();
    expect(await env.emailsFor(threadId)).toHaveLength(1);
    expect(email?.destination.to).toEqual([SHOP_INBOX]);
    expect(email?.from).toContain(SENDER);
    expect(email?.replyTo).toEqual(['maria.lopez@example.com']);
    expect(email?.subject).toContain(threadId);
    expect(email?.subject).toMatch(/Maria Lopez|Honda|seat/i);
    const html = email?.body.html ?? '';
    expect(html).toContain('href="tel:+16505550199"');
    expect(html).toContain('href="sms:+16505550199');
    expect(html).toContain('href="mailto:maria.lopez@example.com');
    expect(html).toContain(CONVERSATION_URL_TEMPLATE.replace('{threadId}', threadId));
    expect(html).not.toContain('platform.openai.com');
    expect(html).toContain('https://shop.example/en/seats');
    expect(html).not.toContain('tel:+14085550142'); // the shop's own number is not the customer's
    expect(email?.body.text).toContain('maria.lopez@example.com');

    const record = await env.record(threadId);
    expect(record?.lead).not.toBeNull();
    expect(record?.lead?.messageId).toBeTruthy();
    // Neither the conversation nor the contact is kept in the lead record or written to the logs;
    // the record keeps the lead email's subject (follow-ups answer it) and nothing else of it.
    const data = (await env.firestore.collection(env.collection).doc(threadId).get()).data() as { lead: { subject: string } };
    expect(data.lead.subject).toBe(email?.subject);
    const stored = JSON.stringify({ ...data, lead: { ...data.lead, subject: null } });
    const logs = env.logs.lines.join('\n');
    for (const secretish of ['maria.lopez@example.com', '6505550199', '555-0199', 'driver seat of my 2018']) {
      expect(stored).not.toContain(secretish);
      expect(logs).not.toContain(secretish);
    }
    expect(logs).toContain(threadId);

    const again = await env.trigger({ threadId, reason: 'pagehide' });
    const body = (await again.json()) as { sent: boolean; reason: string; sent_at: number };
    expect(body).toMatchObject({ ok: true, sent: true, reason: 'already_sent' });
    expect(body.sent_at).toBe(Math.floor((record?.lead?.sentAt ?? 0) / 1000));
  });

  it('when sendBeacon posts the trigger as text/plain, then it is accepted like JSON', async () => {
    const threadId = newThreadId('beacon');
    await env.seed(leadConversation(threadId));
    const response = await env.trigger(JSON.stringify({ threadId, reason: 'pagehide' }), { contentType: 'text/plain;charset=UTF-8' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { reason: string }).reason).toBe('queued');
    await waitFor(async () => (await env.emailsFor(threadId)).length === 1);
  });

  it.each(['pagehide', 'chat_closed'] as const)('when the trigger is %s and contact was given, then one email is sent', async (reason) => {
    const threadId = newThreadId(reason);
    await env.seed(leadConversation(threadId));
    await env.trigger({ threadId, reason });
    await waitFor(async () => (await env.emailsFor(threadId)).length === 1);
    await env.settle();
    expect(await env.emailsFor(threadId)).toHaveLength(1);
  });
});

describe('hostile customer text', () => {
  it('when the customer types HTML and script, then the shop email shows it as text and runs nothing', async () => {
    const threadId = await env.seedFixture(fixture('html_injection_en'), 'html');
    await env.trigger({ threadId, reason: 'chat_closed' });
    const [email] = await waitFor(async () => {
      const emails = await env.emailsFor(threadId);
      return emails.length > 0 && emails;
    });
    const html = email?.body.html ?? '';
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img[^>]*onerror/i);
    expect(html).not.toMatch(/<style>body\{display:none\}/i);
    expect(html).not.toContain('href="https://evil.example.org/phish"');
    // Shown as text: its `<` escaped (a `>` in text is inert; preact-render-to-string leaves it).
    expect(html).toContain('&lt;script>alert');
    expect(email?.replyTo).toEqual(['tom.oneil@example.com']);
  });

  it('when the customer types CRLF and mail headers, then no header or recipient is injected', async () => {
    const threadId = await env.seedFixture(fixture('header_injection_en'), 'crlf');
    await env.trigger({ threadId, reason: 'pagehide' });
    const [email] = await waitFor(async () => {
      const emails = await env.emailsFor(threadId);
      return emails.length > 0 && emails;
    });
    expect(email?.subject).not.toMatch(/[\r\n]/);
    expect(email?.destination).toEqual({ to: [SHOP_INBOX], cc: [], bcc: [] });
    expect(email?.subject).not.toMatch(/You won a prize/);
    expect((email?.headers ?? []).some((header) => header.name.toLowerCase() === 'x-injected')).toBe(false);
  });
});

describe('not a lead (yet)', () => {
  it('when idle fires without any contact info, then no email is sent, no summary is paid for, and missing_contact is reported', async () => {
    const threadId = newThreadId('nocontact');
    await env.seed(noContactConversation(threadId));
    const callsBefore = env.summaryCalls();

    await env.trigger({ threadId, reason: 'idle' });
    await waitFor(async () => (await env.record(threadId))?.lastOutcome?.outcome === 'missing_contact');
    const answer = (await (await env.trigger({ threadId, reason: 'pagehide' })).json()) as Record<string, unknown>;

    expect(answer).toEqual({ ok: true, sent: false, reason: 'missing_contact', missing_info: ['phone number or email'] });
    expect(await env.emailsFor(threadId)).toHaveLength(0);
    expect(env.summaryCalls()).toBe(callsBefore);
  });

  it('when auto fires before the conversation is ready, then not_ready with missing info, and once ready, exactly one email', async () => {
    const threadId = newThreadId('auto');
    await env.seed(contactButNoNeed(threadId));

    expect(((await (await env.trigger({ threadId, reason: 'auto' })).json()) as { reason: string }).reason).toBe('queued');
    await waitFor(async () => (await env.record(threadId))?.lastOutcome?.outcome === 'not_ready');
    const answer = (await (await env.trigger({ threadId, reason: 'auto' })).json()) as { reason: string; missing_info?: string[] };
    expect(answer.reason).toBe('not_ready');
    expect(answer.missing_info?.length).toBeGreaterThan(0);
    expect(await env.emailsFor(threadId)).toHaveLength(0);

    await env.append(threadId, [
      userMessage('My 2016 Ford F-150 bench seat foam is collapsed and the vinyl is cracked, can you redo it?'),
      assistantMessage('Yes, we can rebuild the foam and recover it.'),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 2100)); // past the re-evaluation window
    expect(((await (await env.trigger({ threadId, reason: 'auto' })).json()) as { reason: string }).reason).toBe('queued');
    await waitFor(async () => (await env.emailsFor(threadId)).length === 1);
    await env.settle();
    expect(await env.emailsFor(threadId)).toHaveLength(1);
  });
});

describe('the customer leaves while an auto evaluation waits', () => {
  it('when pagehide arrives during the auto delay, then in_progress, and the evaluation emails on contact alone', async () => {
    const delayed = await startLeadEnv({ autoDelaySeconds: 1 });
    try {
      const threadId = newThreadId('upgrade');
      await delayed.seed(contactButNoNeed(threadId)); // contact, but never handoff_ready
      expect(((await (await delayed.trigger({ threadId, reason: 'auto' })).json()) as { reason: string }).reason).toBe('queued');
      expect(((await (await delayed.trigger({ threadId, reason: 'pagehide' })).json()) as { reason: string }).reason).toBe('in_progress');
      await waitFor(async () => (await delayed.emailsFor(threadId)).length === 1);
      expect((await delayed.record(threadId))?.lead?.trigger).toBe('pagehide');
    } finally {
      await delayed.close();
    }
  });
});

describe('failures', () => {
  it('when OpenAI answers 429 once, then the task is retried and one email is sent', async () => {
    const threadId = newThreadId('429');
    await env.seed(leadConversation(threadId));
    env.stub.injectFault({ route: RESPONSES, kind: 'status', status: 429, times: 1 });

    await env.trigger({ threadId, reason: 'idle' });
    await waitFor(async () => (await env.emailsFor(threadId)).length === 1);
    await env.settle();
    const [email] = await env.emailsFor(threadId);
    expect(email?.subject).not.toMatch(/unavailable/i);
    const task = env.cloud.tasks.finished(env.queue).find((t) => t.attempts.some((a) => a.httpStatus === 503));
    expect(task?.attempts.map((a) => a.httpStatus)).toEqual([503, 200]);
  });

  it('when the summary fails for good (400), then one degraded email with contact and transcript is sent', async () => {
    const threadId = newThreadId('degraded');
    await env.seed(leadConversation(threadId));
    env.stub.injectFault({ route: RESPONSES, kind: 'status', status: 400, times: 'always' });
    try {
      await env.trigger({ threadId, reason: 'chat_closed' });
      const [email] = await waitFor(async () => {
        const emails = await env.emailsFor(threadId);
        return emails.length > 0 && emails;
      });
      await env.settle();
      expect(await env.emailsFor(threadId)).toHaveLength(1);
      expect(email?.subject).toMatch(/AI summary unavailable/i);
      expect(email?.body.html).toContain('href="tel:+16505550199"');
      expect(email?.body.text).toContain('driver seat of my 2018 Honda Civic');
      expect((await env.record(threadId))?.lead?.degraded).toBe(true);
    } finally {
      env.stub.clearFaults();
    }
  });

  it('when the summary keeps failing with 500, then the last attempt sends the degraded email', async () => {
    const threadId = newThreadId('final');
    await env.seed(leadConversation(threadId));
    env.stub.injectFault({ route: RESPONSES, kind: 'status', status: 500, times: 'always' });
    try {
      await env.trigger({ threadId, reason: 'idle' });
      await waitFor(async () => (await env.emailsFor(threadId)).length === 1, 15_000);
      await env.settle();
      expect(await env.emailsFor(threadId)).toHaveLength(1);
      const task = env.cloud.tasks.finished(env.queue).find((t) => t.attempts.length === 4);
      expect(task?.attempts.map((a) => a.httpStatus)).toEqual([503, 503, 503, 200]);
    } finally {
      env.stub.clearFaults();
    }
  });
});

describe('validation', () => {
  it.each([
    ['threadId', { reason: 'idle' }],
    ['threadId', { threadId: 'thread_1', reason: 'idle' }],
    ['reason', { threadId: 'cthr_abc' }],
    ['reason', { threadId: 'cthr_abc', reason: 'bored' }],
    ['pageUrl', { threadId: 'cthr_abc', reason: 'idle', pageUrl: 'javascript:alert(1)' }],
  ])('when %s is missing or invalid, then 400 names it', async (field, body) => {
    const response = await env.trigger(body);
    expect(response.status).toBe(400);
    const error = ((await response.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain(`"${field}"`);
  });

  it('when the Origin is foreign, then 403 and no lease is taken', async () => {
    const threadId = newThreadId('origin');
    const response = await env.trigger({ threadId, reason: 'idle' }, { headers: { origin: 'https://evil.example' } });
    expect(response.status).toBe(403);
    expect(await env.record(threadId)).toBeNull();
  });
});
