import type { AssistantMessageContent, AssistantMessageItem, ThreadItem, ThreadStreamEvent } from '@lead-intake/shared/chatkit';
import { AgentFailure, type ConversationMessage } from '../ports.js';

/**
 * The agent bridge (chatkit-python's agents.py, on our side of the Agent port): thread items →
 * what the agent reads, and the agent's stream → ChatKit events. A new kind of item the agent
 * reads or writes is taught here (and to `respond`), never to the protocol server.
 */

/** The conversation as the agent reads it, oldest first: customer and assistant text, and the server's hidden notes. */
export function toConversation(items: readonly ThreadItem[]): ConversationMessage[] {
  const messages: ConversationMessage[] = [];
  for (const item of items) {
    if (item.type === 'user_message') {
      const text = joined(item.content);
      if (text) messages.push({ role: 'user', text: item.quoted_text ? `> ${item.quoted_text}\n${text}` : text });
    } else if (item.type === 'assistant_message') {
      const text = joined(item.content);
      if (text) messages.push({ role: 'assistant', text });
    } else if (item.type === 'sdk_hidden_context') {
      // As the reference passes it: a user-role note the visitor never sees (e.g. "the user cancelled").
      messages.push({
        role: 'user',
        text: `Hidden context for the agent (not shown to the user):\n<HiddenContext>\n${item.content}\n</HiddenContext>`,
      });
    }
  }
  return messages;
}

const joined = (parts: readonly { text: string }[]): string =>
  parts
    .map((part) => part.text)
    .join('\n')
    .trim();

/**
 * The agent's text deltas as one streamed assistant message: `thread.item.added` at once (the
 * widget shows the answer coming), a content part, its deltas, then the message as streamed
 * (`content_part.done`, `thread.item.done`), or `thread.item.removed` when nothing came. The
 * message is closed the same way when the reply stops early (the visitor left, the instance
 * shuts down: the deltas just end) or fails: then the agent's failure is thrown after it.
 */
export async function* streamAssistantMessage(
  deltas: AsyncIterable<string>,
  empty: AssistantMessageItem,
): AsyncGenerator<ThreadStreamEvent> {
  const part: AssistantMessageContent = { type: 'output_text', text: '', annotations: [] };
  let text = '';
  let failure: AgentFailure | undefined;
  yield { type: 'thread.item.added', item: empty };
  yield {
    type: 'thread.item.updated',
    item_id: empty.id,
    update: { type: 'assistant_message.content_part.added', content_index: 0, content: part },
  };
  try {
    for await (const delta of deltas) {
      text += delta;
      yield {
        type: 'thread.item.updated',
        item_id: empty.id,
        update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta },
      };
    }
  } catch (error) {
    failure = error instanceof AgentFailure ? error : new AgentFailure('upstream', { cause: error });
  }
  if (text.trim()) {
    const done: AssistantMessageItem = { ...empty, content: [{ ...part, text }] };
    yield {
      type: 'thread.item.updated',
      item_id: empty.id,
      update: { type: 'assistant_message.content_part.done', content_index: 0, content: done.content[0] ?? part },
    };
    yield { type: 'thread.item.done', item: done };
  } else {
    yield { type: 'thread.item.removed', item_id: empty.id };
  }
  if (failure) throw failure;
}
