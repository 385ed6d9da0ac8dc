import { Timestamp } from '@google-cloud/firestore';
import { newLeadRecord, triggers, type HistoryEntry, type LeadRecord, type SendUncertainty, type Trigger } from '../domain/lead-record.js';

/** The document as stored: the domain record, with `expiresAt` a Timestamp for the TTL policy. */
export type StoredLeadRecord = Omit<LeadRecord, 'expiresAt'> & { expiresAt: Timestamp; schema: 2 };

export const toStored = (record: LeadRecord): StoredLeadRecord => ({
  ...record,
  expiresAt: Timestamp.fromMillis(record.expiresAt),
  schema: 2,
});

/** A stored document as a record; documents written before schema 2 (flat fields) are converted. */
export function fromStored(threadId: string, data: Record<string, unknown>): LeadRecord {
  const expiresAt = data.expiresAt instanceof Timestamp ? data.expiresAt.toMillis() : Number(data.expiresAt ?? 0);
  if (data.schema === 2) {
    const { schema: _schema, ...record } = data as unknown as StoredLeadRecord;
    return { ...newLeadRecord(threadId, record.createdAt), ...record, expiresAt };
  }
  return fromLegacy(threadId, data as Partial<LegacyRecord>, expiresAt);
}

/** The flat record of the first version (state + lease fields + send marker), with its resend audit. */
interface LegacyRecord {
  state: 'leased' | 'open' | 'sent' | 'error';
  leaseId: string | null;
  leaseExpiresAt: number | null;
  trigger: string | null;
  attempts: number;
  lastOutcome: string | null;
  missingInfo: string[];
  lastEvaluatedAt: number | null;
  cooldownUntil: number | null;
  sentAt: number | null;
  sesMessageId: string | null;
  degraded: boolean;
  sendLeaseId: string | null;
  sendStartedAt: number | null;
  sendUncertainty: SendUncertainty | null;
  safetyNetScheduled: boolean;
  createdAt: number;
  updatedAt: number;
  audit: Array<{ at?: Timestamp; by?: string; reason?: string; previousSentAt?: number | null; previousMessageId?: string | null }>;
}

/**
 * Old records knew no conversation versions: their outcomes are never reused (version -1), and a
 * thread they had already emailed gets no follow-ups (what that email carried is unknown), so the
 * shop is never sent the whole conversation a second time.
 */
function fromLegacy(threadId: string, old: Partial<LegacyRecord>, expiresAt: number): LeadRecord {
  const createdAt = old.createdAt ?? 0;
  const updatedAt = old.updatedAt ?? createdAt;
  const trigger: Trigger = triggers.includes(old.trigger as Trigger) ? (old.trigger as Trigger) : 'auto';
  const sending = old.sendLeaseId != null && old.sendLeaseId === old.leaseId;
  const record = newLeadRecord(threadId, createdAt);
  const history: HistoryEntry[] = (old.audit ?? []).map((entry) => ({
    at: entry.at instanceof Timestamp ? entry.at.toMillis() : updatedAt,
    kind: 'resend',
    by: entry.by ?? 'unknown',
    reason: entry.reason ?? '',
    previousSentAt: entry.previousSentAt ?? null,
    previousMessageId: entry.previousMessageId ?? null,
    previousUncertainty: null,
  }));
  return {
    ...record,
    lease:
      old.state === 'leased' && old.leaseId
        ? {
            id: old.leaseId,
            purpose: 'lead',
            trigger,
            version: 0,
            takenAt: updatedAt,
            expiresAt: old.leaseExpiresAt ?? 0,
            dueAt: updatedAt,
            pending: null,
            send: sending
              ? // What it carried is unknown: count it as everything, so no follow-up repeats the conversation.
                {
                  sendId: '',
                  startedAt: old.sendStartedAt ?? updatedAt,
                  version: Number.MAX_SAFE_INTEGER,
                  messageIds: [],
                  degraded: old.degraded ?? false,
                  subject: '',
                }
              : null,
          }
        : null,
    lastOutcome:
      (old.lastOutcome === 'not_ready' || old.lastOutcome === 'missing_contact') && old.state === 'open'
        ? { outcome: old.lastOutcome, version: -1, trigger, at: old.lastEvaluatedAt ?? updatedAt, missingInfo: old.missingInfo ?? [] }
        : null,
    lead:
      old.state === 'sent'
        ? {
            leaseId: old.sendLeaseId ?? '',
            sentAt: old.sentAt ?? updatedAt,
            messageId: old.sesMessageId ?? null,
            uncertainty: old.sendUncertainty ?? null,
            version: 0,
            messageCount: 0,
            degraded: old.degraded ?? false,
            subject: '',
            trigger,
          }
        : null,
    reported: old.state === 'sent' ? { version: Number.MAX_SAFE_INTEGER, messageIds: [] } : record.reported,
    failure:
      old.state === 'error' && old.cooldownUntil != null
        ? { at: old.lastEvaluatedAt ?? updatedAt, purpose: 'lead', cooldownUntil: old.cooldownUntil }
        : null,
    failures: old.state === 'error' ? 1 : 0,
    attempts: old.attempts ?? 0,
    safetyNetScheduled: old.safetyNetScheduled ?? false,
    history,
    updatedAt,
    expiresAt,
  };
}
