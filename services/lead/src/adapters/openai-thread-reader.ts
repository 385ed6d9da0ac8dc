import OpenAI from 'openai';
import { PermanentError, TransientError } from '../domain/errors.js';
import type { Transcript, TranscriptMessage } from '../domain/transcript.js';
import type { ThreadReader } from '../ports.js';

type ThreadItem = Awaited<ReturnType<OpenAI['beta']['chatkit']['threads']['listItems']>>['data'][number];

/** Adapter: a ChatKit thread and every page of its items, oldest first. */
export class OpenAIThreadReader implements ThreadReader {
  constructor(private readonly openai: OpenAI) {}

  async fetchTranscript(threadId: string): Promise<Transcript> {
    try {
      const thread = await this.openai.beta.chatkit.threads.retrieve(threadId);
      const messages: TranscriptMessage[] = [];
      for await (const item of this.openai.beta.chatkit.threads.listItems(threadId, { order: 'asc', limit: 100 })) {
        const message = toMessage(item);
        if (message) messages.push(message);
      }
      return { threadId, title: thread.title ?? null, user: thread.user ?? null, createdAt: thread.created_at, messages };
    } catch (error) {
      throw classifyOpenAIError(error, 'reading the ChatKit thread');
    }
  }
}

function toMessage(item: ThreadItem): TranscriptMessage | null {
  if (item.type === 'chatkit.user_message') {
    return {
      id: item.id,
      role: 'customer',
      text: item.content.map((part) => part.text).join('\n').trim(),
      createdAt: item.created_at,
      attachments: item.attachments.map((attachment) => ({
        name: attachment.name,
        mimeType: attachment.mime_type,
        url: attachment.preview_url,
        kind: attachment.type,
      })),
    };
  }
  if (item.type === 'chatkit.assistant_message') {
    return {
      id: item.id,
      role: 'assistant',
      text: item.content.map((part) => part.text).join('\n').trim(),
      createdAt: item.created_at,
      attachments: [],
    };
  }
  return null; // widgets, tasks and tool calls are not conversation text
}

/** 429, 5xx, timeouts and connection errors are worth retrying; other API errors are not. */
export function classifyOpenAIError(error: unknown, doing: string): Error {
  if (error instanceof TransientError || error instanceof PermanentError) return error;
  if (error instanceof OpenAI.APIConnectionError) return new TransientError(`OpenAI unreachable while ${doing}`, { cause: summary(error) });
  if (error instanceof OpenAI.APIError) {
    const status = error.status ?? 0;
    if (status === 408 || status === 409 || status === 429 || status >= 500) {
      return new TransientError(`OpenAI answered ${status} while ${doing}`, { cause: summary(error) });
    }
    return new PermanentError(`OpenAI answered ${status} while ${doing}`, { cause: summary(error) });
  }
  if (error instanceof SyntaxError) return new TransientError(`OpenAI answered garbage while ${doing}`);
  return new PermanentError(`unexpected error while ${doing}`, { cause: error });
}

/** Status, request id and type only: no upstream text in logs. */
function summary(error: InstanceType<typeof OpenAI.APIError>) {
  return { status: error.status, requestId: error.requestID, type: error.type, code: error.code };
}
