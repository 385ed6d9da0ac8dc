import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assistantMessage, chatThread, userMessage } from '@lead-intake/dev-tools/fixtures/index';
import type { FaultSpec } from '@lead-intake/dev-tools/openai-stub/faults';
import { OpenAISummarizer } from '../src/adapters/openai-summarizer.js';
import { startLeadEnv, waitFor, type LeadEnv } from './harness.js';

const RESPONSES = 'POST /v1/responses';
let seq = 0;
const newThreadId = (label: string) => `cthr_degraded_${label}_${Date.now().toString(36)}_${(seq += 1)}`;

const leadConversation = (threadId: string) =>
  chatThread(threadId, [
    userMessage('The driver seat of my 2018 Honda Civic has a big tear in the leather.'),
    assistantMessage('We can repair that. How can the shop reach you?'),
    userMessage('I am Maria Lopez, (650) 555-0199.'),
  ]);

const refusal = JSON.stringify({
  id: 'resp_refused',
  object: 'response',
  created_at: 1_790_000_000,
  status: 'completed',
  model: 'gpt-test',
  output: [
    {
      type: 'message',
      id: 'msg_refused',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'refusal', refusal: 'I cannot help.' }],
    },
  ],
  incomplete_details: null,
});

let env: LeadEnv;
// The summarizer with a short client timeout, on the env's own OpenAI stand-in (known once it runs).
let summarizer: OpenAISummarizer | undefined;
beforeAll(async () => {
  // One attempt: the first failure is the final one, so the degraded email goes out at once.
  env = await startLeadEnv({
    taskMaxAttempts: 1,
    wrapSummarizer: () => ({
      summarize: async (input) => {
        if (!summarizer) throw new Error('summarizer not ready');
        return summarizer.summarize(input);
      },
    }),
  });
  summarizer = new OpenAISummarizer(
    new OpenAI({ apiKey: 'sk-test-lead', baseURL: env.stub.baseURL, maxRetries: 0, timeout: 400 }),
    'gpt-test',
  );
});
afterEach(() => env.stub.clearFaults());
afterAll(async () => {
  await env.close();
});

describe('the degraded lead email', () => {
  it.each<{ when: string; fault: FaultSpec; says: string; notSays: RegExp }>([
    {
      when: 'the AI service keeps failing with 500',
      fault: { route: RESPONSES, kind: 'status', status: 500, times: 'always' },
      says: 'The AI service failed with an error on its side. (HTTP 500)',
      notSays: /in time/,
    },
    {
      when: 'the AI service never answers',
      fault: { route: RESPONSES, kind: 'hang', times: 'always' },
      says: 'The AI service did not answer in time.',
      notSays: /error on its side|declined/,
    },
    {
      when: 'the AI refuses',
      fault: { route: RESPONSES, kind: 'malformed', body: refusal, times: 'always' },
      says: 'The AI declined to summarize this conversation.',
      notSays: /in time|error on its side/,
    },
    {
      when: 'the AI service rejects the request (401)',
      fault: { route: RESPONSES, kind: 'status', status: 401, times: 'always' },
      says: 'The AI service rejected the request (check the lead service’s OpenAI key, model and settings). (HTTP 401)',
      notSays: /in time|declined/,
    },
  ])('when $when, then the email states that reason', async ({ fault, says, notSays }) => {
    const threadId = newThreadId('reason');
    await env.seed(leadConversation(threadId));
    env.stub.injectFault(fault);

    await env.trigger({ threadId, reason: 'chat_closed' });
    const [email] = await waitFor(async () => {
      const emails = await env.emailsFor(threadId);
      return emails.length > 0 && emails;
    });
    expect(email?.subject).toMatch(/AI summary unavailable/i);
    expect(email?.body.text).toContain(says);
    expect(email?.body.text).not.toMatch(notSays);
    expect(email?.body.html).toContain(says.slice(0, 30));
    expect((await env.record(threadId))?.lead?.degraded).toBe(true);
  });
});
