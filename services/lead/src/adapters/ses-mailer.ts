import { SendRawEmailCommand, SESClient } from '@aws-sdk/client-ses';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { withRetries } from '@lead-intake/shared';
import { PermanentError, SendOutcomeUnknownError, TransientError } from '../domain/errors.js';
// Belt and braces: whatever builds the subject, no CR/LF or control character reaches a header.
import { singleLine } from '../email/sanitize.js';
import type { Mailer, OutgoingEmail } from '../ports.js';

/** SES error codes worth retrying (throttling and service-side trouble). */
const TRANSIENT = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'ServiceUnavailable',
  'InternalFailure',
  'RequestTimeout',
]);

/** Network errors raised before a connection existed: the request never left, a retry is safe. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL']);

export interface SesMailerOptions {
  /** Sends per call while SES provably took nothing (throttled, 5xx, unreachable); default 1. */
  attempts?: number;
  /** Wait before the 2nd attempt, doubling after; default 250 ms. */
  backoffMs?: number;
  /** The SES region: the domain of the Message-ID SES gives each message. */
  region?: string;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Adapter: SES v1 SendRawEmail with a MIME message built by nodemailer's composer (HTML + text,
 * Reply-To the customer when known, In-Reply-To/References for follow-ups). Sending is not
 * idempotent, so the SDK never retries (maxAttempts 1): this class retries only failures that
 * prove SES took nothing, and reports a send that may have reached SES without an answer as
 * SendOutcomeUnknownError.
 */
export class SesMailer implements Mailer {
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly region: string;
  private readonly sleep: ((ms: number) => Promise<void>) | undefined;

  constructor(
    private readonly ses: SESClient,
    options: SesMailerOptions = {},
  ) {
    this.attempts = Math.max(1, options.attempts ?? 1);
    this.backoffMs = options.backoffMs ?? 250;
    this.region = options.region ?? 'us-east-1';
    this.sleep = options.sleep;
  }

  /** SES's Message-ID: `<id@email.amazonses.com>` in us-east-1, `<id@<region>.amazonses.com>` elsewhere. */
  messageIdHeader(messageId: string): string {
    return `<${messageId}@${this.region === 'us-east-1' ? 'email' : this.region}.amazonses.com>`;
  }

  /** Retries only what proves SES took nothing (TransientError), the wait doubling each time. */
  send(email: OutgoingEmail): Promise<{ messageId: string }> {
    return withRetries(
      () => this.sendOnce(email),
      { attempts: this.attempts, firstDelayMs: this.backoffMs, factor: 2 },
      this.sleep ? { sleep: this.sleep } : {},
    );
  }

  private async sendOnce(email: OutgoingEmail): Promise<{ messageId: string }> {
    const command = new SendRawEmailCommand({ Source: email.from, Destinations: email.to, RawMessage: { Data: await mime(email) } });
    // Innermost middleware: reached only once the request is built and signed, about to go out.
    let dispatched = false;
    command.middlewareStack.add(
      (next) => (args) => {
        dispatched = true;
        return next(args);
      },
      { step: 'deserialize', priority: 'low', name: 'leadSendDispatched' },
    );
    let messageId: string | undefined;
    try {
      messageId = (await this.ses.send(command)).MessageId;
    } catch (error) {
      throw classify(error, dispatched);
    }
    // SES answered 200 but we cannot tell which message: it was accepted all the same.
    if (!messageId) throw new SendOutcomeUnknownError('SES answered without a MessageId');
    return { messageId };
  }
}

/** The MIME message; every header value is one line (belt and braces: no CR/LF reaches a header). */
function mime(email: OutgoingEmail): Promise<Buffer> {
  const composer = new MailComposer({
    from: email.from,
    to: email.to,
    ...(email.replyTo ? { replyTo: email.replyTo } : {}),
    subject: singleLine(email.subject),
    text: email.text,
    html: email.html,
    ...(email.inReplyTo ? { inReplyTo: singleLine(email.inReplyTo) } : {}),
    ...(email.references && email.references.length > 0 ? { references: email.references.map(singleLine) } : {}),
    textEncoding: 'quoted-printable',
  });
  return composer.compile().build();
}

/** What a failed send proves: nothing taken (Transient / Permanent), or nothing at all. */
function classify(error: unknown, dispatched: boolean): Error {
  const name = error instanceof Error ? error.name : 'Unknown';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const code = (error as { code?: unknown }).code;
  const detail = { name, status, code };
  if (status !== undefined && status >= 200 && status < 300) {
    // A success reply we could not read: SES took the email.
    return new SendOutcomeUnknownError(`SES accepted the request but its reply was unreadable (${name})`, { cause: detail });
  }
  if (status !== undefined) {
    // SES answered with an error: it did not take the email.
    const retryable =
      TRANSIENT.has(name) || status >= 500 || status === 429 || (error as { $retryable?: unknown }).$retryable !== undefined;
    if (retryable) return new TransientError(`SES failed (${name})`, { cause: detail });
    return new PermanentError(`SES rejected the email (${name})`, { cause: detail });
  }
  const beforeConnection =
    !dispatched ||
    (typeof code === 'string' && NOT_CONNECTED.has(code)) ||
    (name === 'TimeoutError' && error instanceof Error && /did not establish a connection/.test(error.message));
  if (beforeConnection)
    return new TransientError(`SES unreachable (${name}${typeof code === 'string' ? ` ${code}` : ''})`, { cause: detail });
  // Connected, request (maybe) written, no answer: reset, timeout, socket hang up.
  return new SendOutcomeUnknownError(
    `SES gave no answer (${name}${typeof code === 'string' ? ` ${code}` : ''}); the email may have been accepted`,
    {
      cause: detail,
    },
  );
}

export interface SesClientOptions {
  region: string;
  endpoint?: string | undefined;
  /** Connecting (TCP + TLS) may take this long; a failure here is safely retried. Default 5 s. */
  connectionTimeoutMs?: number;
  /** The whole request may take this long once connected; past it the outcome is unknown. Default 30 s. */
  requestTimeoutMs?: number;
}

export function createSesClient(options: SesClientOptions): SESClient {
  return new SESClient({
    region: options.region,
    // SendEmail is not idempotent: our own classification decides what is retried (SesMailer).
    maxAttempts: 1,
    // The SDK's NodeHttpHandler options (it builds the handler from them).
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? 5_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      throwOnRequestTimeout: true,
      // A fresh connection per send: a reused socket the server already closed fails with the
      // same ECONNRESET as a lost reply, and only the latter must not be retried.
      httpAgent: { keepAlive: false },
      httpsAgent: { keepAlive: false },
    },
    ...(options.endpoint ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
}
