import { deliveryOf, stateOf, type Delivery, type HistoryEntry, type LeadRecord } from '../domain/lead-record.js';

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** What an operator should make of the lead email's delivery. */
const deliveryNotes: Partial<Record<Delivery, string>> = {
  unconfirmed:
    'SES may or may not have accepted the email (see sendUncertainty); it is never re-sent automatically. Check the shop inbox (or SES) and run `npm run lead -- resend <threadId>` if it never arrived.',
  sending:
    'The email send started and is not recorded yet: either the task is sending right now, or it stopped mid-send (the record settles as sent, unconfirmed, when the lease expires). It will not be sent again.',
};

/** The last thing an evaluation concluded, in one word. */
function lastOutcomeOf(history: readonly HistoryEntry[]): string | null {
  for (let i = history.length - 1; i >= 0; i -= 1) {
    const entry = history[i];
    if (!entry) continue;
    if (entry.kind === 'outcome') return entry.outcome;
    if (entry.kind === 'sent') return entry.purpose === 'lead' ? 'sent' : 'follow_up_sent';
    if (entry.kind === 'failed') return 'failed';
    if (entry.kind === 'resend') return null;
  }
  return null;
}

/** An entry for people: times as ISO strings. */
function historyLine(entry: HistoryEntry): Record<string, unknown> {
  const line: Record<string, unknown> = { ...entry, at: iso(entry.at) };
  if (entry.kind === 'lease') line.dueAt = iso(entry.dueAt);
  if (entry.kind === 'resend') line.previousSentAt = iso(entry.previousSentAt);
  return line;
}

/**
 * `npm run lead -- status`: the record as an operator reads it: state and delivery first, then
 * what was evaluated and sent for which version of the conversation, then the history (triggers
 * that took a lease, outcomes, sends, follow-ups, resends with who and why). No conversation text.
 */
export function statusView(record: LeadRecord, now: number): Record<string, unknown> {
  const delivery = deliveryOf(record);
  const { lease, lead } = record;
  const last = record.followUps.last;
  return {
    threadId: record.threadId,
    state: stateOf(record, now),
    delivery,
    ...(deliveryNotes[delivery] ? { note: deliveryNotes[delivery] } : {}),
    attempts: record.attempts,
    lastOutcome: lastOutcomeOf(record.history),
    missingInfo: record.lastOutcome?.missingInfo ?? [],
    versions: {
      lastEvaluated: record.lastOutcome?.version ?? null,
      reportedToShop: record.reported.version,
      customerMessagesReported: record.reported.messageIds.length,
    },
    sentAt: iso(lead?.sentAt),
    sesMessageId: lead?.messageId ?? null,
    sendUncertainty: lead?.uncertainty ?? null,
    degraded: lead?.degraded ?? false,
    followUps: {
      sent: record.followUps.count,
      lastSentAt: iso(last?.sentAt),
      lastMessageId: last?.messageId ?? null,
      lastUncertainty: last?.uncertainty ?? null,
    },
    lease: lease
      ? {
          purpose: lease.purpose,
          trigger: lease.trigger,
          version: lease.version,
          dueAt: iso(lease.dueAt),
          expiresAt: iso(lease.expiresAt),
          pending: lease.pending,
          sendStartedAt: iso(lease.send?.startedAt),
        }
      : null,
    cooldownUntil: iso(record.failure?.cooldownUntil),
    summaryCached: record.summary !== null,
    safetyNetScheduled: record.safetyNetScheduled,
    expiresAt: iso(record.expiresAt),
    history: record.history.map(historyLine),
    ...(record.historyDropped > 0 ? { historyDropped: record.historyDropped } : {}),
  };
}
