/**
 * Retry later: a dependency (Firestore, Cloud Tasks, Secret Manager, SES, OpenAI) is down, too
 * slow or busy, or the work must wait for something else to finish. The one error of that kind:
 * adapters throw it, `withRetries` retries it, the error middleware answers it with 503
 * `unavailable` + Retry-After (and Cloud Tasks retries a task that ends with it).
 */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}
