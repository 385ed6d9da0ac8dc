import OpenAI from 'openai';
import { PermanentError, TransientError } from '../domain/errors.js';

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
