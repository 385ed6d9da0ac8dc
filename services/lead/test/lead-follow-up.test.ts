/** What the customer writes after the lead email reaches the shop as one threaded follow-up (the real service on the local stand-ins). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistantMessage, chatThread, userMessage } from '@lead-intake/dev-tools/fixtures/index';
import type { SesStoredEmail } from '@lead-intake/dev-tools/ses/start-ses';
import { startLeadEnv, waitFor, type LeadEnv } from './harness.js';

let seq = 0;
const newThreadId = (label: string) => `cthr_follow_${label}_${Date.now().toString(36)}_${(seq += 1)}`;
const header = (email: SesStoredEmail | undefined, name: string) =>
  email?.headers?.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase())?.value;

let env: LeadEnv;
beforeAll(async () => {
  env = await startLeadEnv({ followUpWindowSeconds: 3 });
});
afterAll(async () => {
  await env.close();
});

/** A conversation that emailed the shop: the lead email, and its stored record. */
async function sentLead(label: string) {
  const threadId = newThreadId(label);
  await env.seed(
    chatThread(threadId, [
      userMessage('Hi, the cushions of my patio sofa are ripped. I am Ana, call me at (650) 555-0101.'),
      assistantMessage('Thanks Ana! The shop will call you back.'),
    ]),
  );
  await env.trigger({ threadId, reason: 'idle' });
  const [lead] = await waitFor(async () => {
    const emails = await env.emailsFor(threadId);
    return emails.length === 1 && emails;
  });
  await waitFor(async () => (await env.state(threadId)) === 'sent');
  return { threadId, lead };
}

const trigger = async (threadId: string, reason: 'auto' | 'idle' | 'pagehide' | 'chat_closed') =>
  (await (await env.trigger({ threadId, reason })).json()) as { sent: boolean; reason: string };

describe('after the lead email', () => {
  it('when the customer adds a detail and a second number and leaves, then the shop gets one follow-up with only that, threaded under the lead email', async () => {
    const { threadId, lead } = await sentLead('leave');
    await env.append(threadId, [
      userMessage('Also the back cushions are moldy. A better number is 408-555-0144 after 5pm.'),
      assistantMessage('Noted, I passed that on.'),
    ]);
    expect(await trigger(threadId, 'pagehide')).toEqual(expect.objectContaining({ sent: true, reason: 'follow_up_queued' }));

    const emails = await waitFor(async () => {
      const all = await env.emailsFor(threadId);
      return all.length === 2 && all;
    });
    const followUp = emails.find((email) => email.messageId !== lead?.messageId);
    expect(followUp?.subject).toBe(`Re: ${lead?.subject}`);
    const leadHeaderId = `<${lead?.messageId}@us-west-1.amazonses.com>`;
    expect(header(followUp, 'In-Reply-To')).toBe(leadHeaderId);
    expect(header(followUp, 'References')?.split(/\s+/)).toEqual([`<lead.${threadId}@rosewood.example>`, leadHeaderId]);
    expect(header(lead, 'References')).toBe(`<lead.${threadId}@rosewood.example>`);

    const text = followUp?.body.text ?? '';
    expect(text).toContain('back cushions are moldy');
    expect(text).not.toContain('patio sofa are ripped'); // only what is new
    expect(text).toMatch(/NEW CONTACT DETAILS[\s\S]*\(408\) 555-0144/);
    const html = followUp?.body.html ?? '';
    expect(html).toContain('href="tel:+14085550144"');
    expect(html).toContain('New contact details');

    const record = await env.record(threadId);
    expect(record).toMatchObject({ followUps: { count: 1, last: { messageCount: 1 } }, reported: { version: 2 } });
    // Nothing new since: the next trigger is already_sent, and no third email.
    expect(await trigger(threadId, 'chat_closed')).toMatchObject({ sent: true, reason: 'already_sent' });
    await env.settle();
    expect(await env.emailsFor(threadId)).toHaveLength(2);
  });

  it('when the customer types five lines while still chatting, then the auto triggers make one follow-up after the window', async () => {
    const { threadId } = await sentLead('batch');
    const answers: string[] = [];
    for (const line of ['one more thing', 'the fabric is blue', 'it is a 3-seater', 'weekends are best', 'thanks!']) {
      await env.append(threadId, [userMessage(line), assistantMessage('Got it.')]);
      answers.push((await trigger(threadId, 'auto')).reason);
    }
    expect(answers[0]).toBe('follow_up_queued');
    expect(answers.slice(1).every((reason) => reason === 'in_progress')).toBe(true);

    const emails = await waitFor(async () => {
      const all = await env.emailsFor(threadId);
      return all.length === 2 && all;
    }, 15_000);
    await env.settle();
    expect(await env.emailsFor(threadId)).toHaveLength(2);
    const text = emails.map((email) => email.body.text ?? '').find((body) => body.includes('one more thing')) ?? '';
    for (const line of ['the fabric is blue', 'it is a 3-seater', 'weekends are best', 'thanks!']) expect(text).toContain(line);
    expect(text).toContain('The customer wrote 5 more messages');
  });

  it('when only the assistant speaks after the lead email, then nothing is sent', async () => {
    const { threadId } = await sentLead('assistant');
    await env.append(threadId, [assistantMessage('Is there anything else?')]);
    expect(await trigger(threadId, 'pagehide')).toMatchObject({ sent: true, reason: 'already_sent' });
    await env.settle();
    expect(await env.emailsFor(threadId)).toHaveLength(1);
  });
});
