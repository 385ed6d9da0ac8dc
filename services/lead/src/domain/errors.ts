/**
 * Failure classes of the lead task's dependencies. Transient ones (the services' one TransientError)
 * make the task answer 503 so Cloud Tasks retries with backoff; permanent ones will not get better
 * by retrying.
 */
export { TransientError } from '@lead-intake/shared';

export class PermanentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentError';
  }
}

/** The thread store has no such thread (never created, deleted by its visitor, or expired). */
export class ThreadNotFoundError extends PermanentError {
  constructor(threadId: string) {
    super(`no thread ${threadId} in the thread store`);
    this.name = 'ThreadNotFoundError';
  }
}

/**
 * The email may or may not have been accepted: the request may have reached the mail service
 * but no answer came back (connection reset, timeout, unreadable reply). Never retried: a retry
 * could email the shop twice.
 */
export class SendOutcomeUnknownError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SendOutcomeUnknownError';
  }
}
