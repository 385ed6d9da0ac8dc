import OpenAI from 'openai';
import { ZodError } from 'zod';
import { PermanentError, TransientError } from '../domain/errors.js';
import { PermanentSummaryError, TransientSummaryError } from '../domain/summary-failure.js';

/**
 * 429, 5xx, timeouts and connection errors are worth retrying; other API errors are not. Each
 * carries the failure's reason (timeout, the service failing, refusing…) for the degraded email.
 */
export function classifyOpenAIError(error: unknown, doing: string): Error {
  if (error instanceof TransientError || error instanceof PermanentError) return error;
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new TransientSummaryError({ reason: 'timeout' }, `OpenAI did not answer in time while ${doing}`);
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return new TransientSummaryError({ reason: 'unreachable' }, `OpenAI unreachable while ${doing}`, { cause: summary(error) });
  }
  if (error instanceof OpenAI.APIError) {
    const status = error.status;
    const message = `OpenAI answered ${status ?? 'an error'} while ${doing}`;
    if (status === 408) return new TransientSummaryError({ reason: 'timeout', status }, message, { cause: summary(error) });
    if (status === 429) return new TransientSummaryError({ reason: 'rate_limited', status }, message, { cause: summary(error) });
    if (status === 409 || (status !== undefined && status >= 500)) {
      return new TransientSummaryError({ reason: 'service_error', status }, message, { cause: summary(error) });
    }
    if (status === undefined) return new PermanentSummaryError({ reason: 'service_error' }, message, { cause: summary(error) });
    return new PermanentSummaryError({ reason: 'rejected', status }, message, { cause: summary(error) });
  }
  if (error instanceof SyntaxError)
    return new TransientSummaryError({ reason: 'unusable_answer' }, `OpenAI answered garbage while ${doing}`);
  if (error instanceof ZodError) {
    return new PermanentSummaryError({ reason: 'unusable_answer' }, `OpenAI's answer is not the schema while ${doing}`, { cause: error });
  }
  return new PermanentSummaryError({ reason: 'unknown' }, `unexpected error while ${doing}`, { cause: error });
}

/** Status, request id and type only: no upstream text in logs. */
function summary(error: InstanceType<typeof OpenAI.APIError>) {
  return { status: error.status, requestId: error.requestID, type: error.type, code: error.code };
}
