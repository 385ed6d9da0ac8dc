import { createRequire } from 'node:module';

/**
 * What aws-ses-v2-local's store lacks, added by the front door once SES answered with the
 * message id: a SendRawEmail's top-level headers (it parses the MIME but keeps none of them, so
 * a test or the viewer's JSON could not see `In-Reply-To` / `References`), and for every v1 send
 * the millisecond it was accepted (its own `at` is in whole seconds; `npm run bench` times
 * deliveries with it).
 */
export interface MailHeader {
  name: string;
  value: string;
}

export interface StoredEmailExtras {
  /** Epoch ms (with a fractional part) at which SES answered with the message id. */
  acceptedAtMs: number;
  headers?: MailHeader[];
}

/** The top-level header fields of a MIME message (RFC 5322 section 2.2.3 unfolding). */
export function rawHeaders(raw: string): MailHeader[] {
  const end = raw.search(/\r?\n\r?\n/);
  const head = (end < 0 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const headers: MailHeader[] = [];
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return headers;
}

interface StoreModule {
  getStoreReadonly(): { emails: Array<{ messageId: string } & Partial<StoredEmailExtras>> };
}

/** Adds `extras` to the stored email `messageId` (the store module aws-ses-v2-local's server uses). */
export function annotateStoredEmail(messageId: string, extras: StoredEmailExtras): void {
  const store = createRequire(import.meta.url)('aws-ses-v2-local/dist/store') as StoreModule;
  const email = store.getStoreReadonly().emails.find((candidate) => candidate.messageId === messageId);
  if (email) Object.assign(email, extras);
}

/** The MessageId of an SES Query-protocol success answer. */
export const answeredMessageId = (body: string): string | undefined => /<MessageId>([^<]+)<\/MessageId>/.exec(body)?.[1];
