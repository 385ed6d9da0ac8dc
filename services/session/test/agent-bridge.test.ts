import { describe, expect, it } from 'vitest';
import type { AssistantMessageItem, ThreadItem, ThreadStreamEvent } from '@lead-intake/shared/chatkit';
import { AgentFailure } from '../src/ports.js';
import { streamAssistantMessage, toConversation } from '../src/use-cases/agent-bridge.js';

const base = { thread_id: 'cthr_t', created_at: '2026-12-07T10:00:00.000Z' };
const user = (id: string, text: string, quoted?: string): ThreadItem => ({
  ...base,
  id,
  type: 'user_message',
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
  ...(quoted ? { quoted_text: quoted } : {}),
});
const assistant = (id: string, text: string): ThreadItem => ({
  ...base,
  id,
  type: 'assistant_message',
  content: [{ type: 'output_text', text, annotations: [] }],
});

describe('toConversation (thread items → what the agent reads)', () => {
  it.each<[string, ThreadItem[], ReturnType<typeof toConversation>]>([
    [
      'a user and an assistant message',
      [user('1', 'Hi'), assistant('2', 'Hello!')],
      [
        { role: 'user', text: 'Hi' },
        { role: 'assistant', text: 'Hello!' },
      ],
    ],
    ['quoted text goes before the message', [user('1', 'this one', 'the seat')], [{ role: 'user', text: '> the seat\nthis one' }]],
    ['empty messages are left out', [user('1', '  '), assistant('2', '')], []],
    [
      'widgets and end-of-turn items are not for the agent',
      [
        { ...base, id: 'w', type: 'widget' },
        { ...base, id: 'e', type: 'end_of_turn' },
      ],
      [],
    ],
    [
      'the note a cancelled turn leaves reaches the agent as hidden context (as the reference sends it)',
      [
        assistant('1', 'Half an ans'),
        { ...base, id: 'h', type: 'sdk_hidden_context', content: 'The user cancelled the stream.' },
        user('2', 'Never mind'),
      ],
      [
        { role: 'assistant', text: 'Half an ans' },
        {
          role: 'user',
          text: 'Hidden context for the agent (not shown to the user):\n<HiddenContext>\nThe user cancelled the stream.\n</HiddenContext>',
        },
        { role: 'user', text: 'Never mind' },
      ],
    ],
  ])('when %s, then the conversation is as the agent should read it', (_name, items, expected) => {
    expect(toConversation(items)).toEqual(expected);
  });
});

const empty: AssistantMessageItem = { ...base, id: 'cthi_a', type: 'assistant_message', content: [] };

async function run(deltas: AsyncIterable<string>): Promise<{ events: string[]; items: ThreadItem[]; error: unknown }> {
  const events: string[] = [];
  const items: ThreadItem[] = [];
  try {
    for await (const event of streamAssistantMessage(deltas, empty)) {
      events.push(eventName(event));
      if (event.type === 'thread.item.done') items.push(event.item);
    }
    return { events, items, error: null };
  } catch (error) {
    return { events, items, error };
  }
}

const eventName = (event: ThreadStreamEvent): string =>
  event.type === 'thread.item.updated' ? event.update.type.replace('assistant_message.', '') : event.type;

async function* from(parts: string[], failure?: unknown): AsyncGenerator<string> {
  for (const part of parts) yield part;
  if (failure) throw failure;
}

describe('streamAssistantMessage (the agent stream → ChatKit events)', () => {
  it('when the agent answers, then one message is added, streamed as deltas and done with the whole text', async () => {
    const { events, items, error } = await run(from(['Hel', 'lo']));
    expect(events).toEqual([
      'thread.item.added',
      'content_part.added',
      'content_part.text_delta',
      'content_part.text_delta',
      'content_part.done',
      'thread.item.done',
    ]);
    expect(items).toEqual([{ ...empty, content: [{ type: 'output_text', text: 'Hello', annotations: [] }] }]);
    expect(error).toBeNull();
  });

  it('when the agent says nothing (or stops before its first word), then the message is removed', async () => {
    const { events, items } = await run(from([' ']));
    expect(events.at(-1)).toBe('thread.item.removed');
    expect(items).toEqual([]);
  });

  it('when the agent fails mid-answer, then the partial message is done as streamed and the failure follows', async () => {
    const { events, items, error } = await run(from(['Part'], new AgentFailure('timeout')));
    expect(events.slice(-2)).toEqual(['content_part.done', 'thread.item.done']);
    expect(items[0]).toMatchObject({ content: [{ text: 'Part' }] });
    expect(error).toMatchObject({ kind: 'timeout' });
  });

  it('when the agent fails with an unexpected error, then it is an upstream failure (no upstream text goes further)', async () => {
    const { events, error } = await run(from([], new Error('socket hang up (secret detail)')));
    expect(events.at(-1)).toBe('thread.item.removed');
    expect(error).toBeInstanceOf(AgentFailure);
    expect(error).toMatchObject({ kind: 'upstream', message: 'agent failed: upstream' });
  });
});
