import type { LeadEmailLabels } from './labels.js';
import { codePointLength, singleLine, truncate, truncateWords } from './sanitize.js';
import { SUBJECT_MAX_LENGTH } from './types.js';

export interface SubjectParts {
  labels: LeadEmailLabels;
  threadId: string;
  /** Customer name, if known. */
  name: string | null;
  /** What they need ("2018 Honda Civic, torn driver seat"), if known. */
  need: string | null;
  /** First phone/email for display, if any. */
  contact: string | null;
  degraded: boolean;
}

/**
 * `New lead: Maria Lopez – 2018 Honda Civic seat repair (cthr_abc)`, or when degraded
 * `New lead (AI summary unavailable): 408-555-0142 (cthr_abc)`.
 * Always one line (no CR/LF/control characters) of at most SUBJECT_MAX_LENGTH code points; the
 * thread id is kept whole whenever it fits.
 */
export function buildSubject(parts: SubjectParts): string {
  const { labels } = parts;
  const name = parts.name ? singleLine(parts.name) : '';
  const need = parts.need ? truncateWords(singleLine(parts.need), 80) : '';
  const contact = parts.contact ? singleLine(parts.contact) : '';
  const threadId = singleLine(parts.threadId);

  let head: string;
  if (parts.degraded) {
    head = `${labels.newLead} (${labels.summaryUnavailable}): ${contact || labels.unknownContact}`;
  } else {
    const who = name || contact;
    const what = [who, need].filter((part) => part !== '').join(' – ');
    head = `${labels.newLead}: ${what || labels.unknownContact}`;
  }
  const suffix = threadId ? ` (${threadId})` : '';
  const room = SUBJECT_MAX_LENGTH - codePointLength(suffix);
  if (room < 20) return truncate(singleLine(`${head}${suffix}`), SUBJECT_MAX_LENGTH);
  return singleLine(`${truncate(head, room)}${suffix}`);
}
