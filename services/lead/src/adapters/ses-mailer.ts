import { SendEmailCommand, SESClient, SESServiceException } from '@aws-sdk/client-ses';
import { PermanentError, TransientError } from '../domain/errors.js';
// Belt and braces: whatever builds the subject, no CR/LF or control character reaches a header.
import { singleLine } from '../email/sanitize.js';
import type { Mailer, OutgoingEmail } from '../ports.js';

/** SES error names worth retrying (throttling and service-side trouble). */
const TRANSIENT = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'ServiceUnavailable', 'InternalFailure', 'RequestTimeout']);

/** Adapter: SES v1 SendEmail (HTML + text), Reply-To the customer when known. */
export class SesMailer implements Mailer {
  constructor(private readonly ses: SESClient) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    try {
      const result = await this.ses.send(
        new SendEmailCommand({
          Source: email.from,
          Destination: { ToAddresses: email.to },
          ...(email.replyTo ? { ReplyToAddresses: [email.replyTo] } : {}),
          Message: {
            Subject: { Data: singleLine(email.subject), Charset: 'UTF-8' },
            Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
          },
        }),
      );
      if (!result.MessageId) throw new TransientError('SES returned no MessageId');
      return { messageId: result.MessageId };
    } catch (error) {
      if (error instanceof TransientError) throw error;
      const name = error instanceof Error ? error.name : 'Unknown';
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
      const retryable =
        TRANSIENT.has(name) ||
        status >= 500 ||
        status === 429 ||
        !(error instanceof SESServiceException) || // network errors, timeouts
        (error as { $retryable?: unknown }).$retryable !== undefined;
      const detail = { name, status };
      if (retryable) throw new TransientError(`SES failed (${name})`, { cause: detail });
      throw new PermanentError(`SES rejected the email (${name})`, { cause: detail });
    }
  }
}

export function createSesClient(options: { region: string; endpoint?: string | undefined; maxAttempts: number }): SESClient {
  return new SESClient({
    region: options.region,
    maxAttempts: options.maxAttempts,
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
}
