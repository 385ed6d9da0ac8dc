import OpenAI from 'openai';
import { PermanentError, TransientError } from '../domain/errors.js';
import { transcriptFromChatKit } from '../domain/chatkit-transcript.js';
import type { Transcript } from '../domain/transcript.js';
import type { ThreadReader } from '../ports.js';

/** Adapter: a ChatKit thread and every page of its items, oldest first. */
export class OpenAIThreadReader implements ThreadReader {
  constructor(private readonly openai: OpenAI) {}

  async fetchTranscript(threadId: string): Promise<Transcript> {
    try {
      const thread = await this.openai.beta.chatkit.threads.retrieve(threadId);
      const items: unknown[] = [];
      for await (const item of this.openai.beta.chatkit.threads.listItems(threadId, { order: 'asc', limit: 100 })) {
        items.push(item);
      }
      return transcriptFromChatKit(thread, items);
    } catch (error) {
      throw classifyOpenAIError(error, 'reading the ChatKit thread');
    }
  }
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
