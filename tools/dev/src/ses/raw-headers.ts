import { createRequire } from 'node:module';

/**
 * aws-ses-v2-local parses a SendRawEmail's MIME for its store but keeps none of its headers, so a
 * test (or the viewer's JSON) could not see `In-Reply-To` / `References`. The front door reads
 * them from the raw message and attaches them to the stored email once SES answered with its id.
 */
export interface MailHeader {
  name: string;
  value: string;
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
  getStoreReadonly(): { emails: Array<{ messageId: string; headers?: MailHeader[] }> };
}

/** Sets the headers of the stored email `messageId` (the store module aws-ses-v2-local's server uses). */
export function attachHeaders(messageId: string, headers: MailHeader[]): void {
  const store = createRequire(import.meta.url)('aws-ses-v2-local/dist/store') as StoreModule;
  const email = store.getStoreReadonly().emails.find((candidate) => candidate.messageId === messageId);
  if (email) email.headers = headers;
}

/** The MessageId of an SES Query-protocol success answer. */
export const answeredMessageId = (body: string): string | undefined => /<MessageId>([^<]+)<\/MessageId>/.exec(body)?.[1];
