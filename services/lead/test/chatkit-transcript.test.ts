import { describe, expect, it } from 'vitest';
import { transcriptFromChatKit } from '../src/domain/chatkit-transcript.js';

const ours = {
  thread: { id: 'cthr_t1', title: 'Seat', created_at: '2026-03-02T17:05:00.000Z', status: { type: 'active' }, owner: 'anon_owner_1234' },
  items: [
    {
      id: 'cthi_2',
      thread_id: 'cthr_t1',
      created_at: '2026-03-02T17:06:00.250Z',
      type: 'user_message',
      content: [
        { type: 'input_text', text: 'My seat is torn, call 408-555-0187' },
        { type: 'input_tag', id: 't1', text: '@shop', data: {} },
      ],
      attachments: [
        { id: 'f1', type: 'image', name: 'seat.jpg', mime_type: 'image/jpeg', preview_url: 'https://files.example.com/seat.jpg' },
      ],
      quoted_text: 'Call us at 408-555-0142',
      inference_options: {},
    },
    {
      id: 'cthi_1',
      thread_id: 'cthr_t1',
      created_at: '2026-03-02T17:05:30Z',
      type: 'assistant_message',
      content: [{ type: 'output_text', text: 'Hi! How can we help?', annotations: [] }],
    },
    {
      id: 'cthi_3',
      thread_id: 'cthr_t1',
      created_at: '2026-03-02T17:06:01Z',
      type: 'sdk_hidden_context',
      content: 'The user cancelled the stream.',
    },
    { id: 'cthi_4', thread_id: 'cthr_t1', created_at: '2026-03-02T17:06:02Z', type: 'widget', widget: { type: 'Card' } },
    { id: 'cthi_5', thread_id: 'cthr_t1', created_at: '2026-03-02T17:06:03Z', type: 'end_of_turn' },
  ],
};

const hosted = {
  thread: {
    id: 'cthr_t1',
    object: 'chatkit.thread',
    created_at: 1772471100,
    status: { type: 'active' },
    title: 'Seat',
    user: 'anon_owner_1234',
  },
  items: [
    {
      id: 'cthi_1',
      object: 'chatkit.thread_item',
      type: 'chatkit.assistant_message',
      thread_id: 'cthr_t1',
      created_at: 1772471130,
      content: [{ type: 'output_text', text: 'Hi! How can we help?', annotations: [] }],
    },
    {
      id: 'cthi_2',
      object: 'chatkit.thread_item',
      type: 'chatkit.user_message',
      thread_id: 'cthr_t1',
      created_at: 1772471160,
      content: [
        { type: 'quoted_text', text: 'Call us at 408-555-0142' },
        { type: 'input_text', text: 'My seat is torn, call 408-555-0187' },
      ],
      attachments: [
        { id: 'f1', name: 'seat.jpg', mime_type: 'image/jpeg', preview_url: 'https://files.example.com/seat.jpg', type: 'image' },
      ],
      inference_options: null,
    },
    {
      id: 'cthi_4',
      object: 'chatkit.thread_item',
      type: 'chatkit.widget',
      thread_id: 'cthr_t1',
      created_at: 1772471162,
      widget: '{"type":"Card"}',
    },
  ],
};

const expectedMessages = [
  { id: 'cthi_1', role: 'assistant', text: 'Hi! How can we help?', attachments: [] },
  {
    id: 'cthi_2',
    role: 'customer',
    text: 'My seat is torn, call 408-555-0187',
    attachments: [{ name: 'seat.jpg', mimeType: 'image/jpeg', url: 'https://files.example.com/seat.jpg', kind: 'image' }],
  },
];

describe('transcriptFromChatKit', () => {
  it('when given our thread store items (ISO times), then customer text is input_text only, sorted oldest first, hidden items and widgets left out', () => {
    const transcript = transcriptFromChatKit(ours.thread, ours.items);
    expect(transcript.messages).toMatchObject(expectedMessages);
    expect(transcript.messages.map((m) => m.createdAt)).toEqual([
      Date.parse('2026-03-02T17:05:30Z') / 1000,
      Date.parse('2026-03-02T17:06:00.250Z') / 1000,
    ]);
    expect(transcript).toMatchObject({
      threadId: 'cthr_t1',
      title: 'Seat',
      user: 'anon_owner_1234',
      createdAt: Date.parse('2026-03-02T17:05:00Z') / 1000,
    });
  });

  it('when given the hosted listItems export (epoch seconds, chatkit.* types), then it reads as the same conversation', () => {
    const transcript = transcriptFromChatKit(hosted.thread, hosted.items);
    expect(transcript.messages).toMatchObject(expectedMessages);
    expect(transcript.messages.map((m) => m.createdAt)).toEqual([1772471130, 1772471160]);
    expect(transcript).toMatchObject({ threadId: 'cthr_t1', title: 'Seat', user: 'anon_owner_1234', createdAt: 1772471100 });
  });

  it('when items of both formats are mixed, then each is read by its own type', () => {
    const transcript = transcriptFromChatKit(ours.thread, [hosted.items[0], ours.items[0]]);
    expect(transcript.messages.map((m) => [m.role, m.text])).toEqual([
      ['assistant', 'Hi! How can we help?'],
      ['customer', 'My seat is torn, call 408-555-0187'],
    ]);
  });

  it('when a message item lacks its content, then it is rejected rather than read as empty', () => {
    expect(() => transcriptFromChatKit(ours.thread, [{ id: 'x', type: 'user_message', created_at: '2026-03-02T17:05:30Z' }])).toThrow();
    expect(() =>
      transcriptFromChatKit(ours.thread, [{ id: 'x', type: 'assistant_message', created_at: 'yesterday', content: [] }]),
    ).toThrow();
  });
});
