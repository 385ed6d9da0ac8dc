import type { LeadResponse } from '@lead-intake/shared/api';
import { isAutoTrigger, sendStartedUnderLease, type LeadRecord, type Trigger } from './lead-record.js';

export interface LeasePolicy {
  /** A trigger no stronger than the last evaluated one, this soon after it, gets that outcome. */
  reevaluateAfterMs: number;
}

export type LeaseDecision =
  | { kind: 'take'; takeover: boolean }
  /** A live `auto` lease: raise its trigger so its evaluation emails on contact alone. */
  | { kind: 'upgrade'; response: LeadResponse }
  /**
   * An expired lease whose task started sending and never recorded it (it crashed, or Firestore
   * failed it): the email probably went out. Record it as sent, unconfirmed; never send again.
   */
  | { kind: 'settle_unconfirmed'; response: LeadResponse }
  | { kind: 'answer'; response: LeadResponse };

/**
 * Whether a trigger may take the thread's lease, or what to answer instead.
 * Pure: the Firestore transaction reads the record, asks this, and writes the result.
 */
export function decideLease(
  record: LeadRecord | null,
  trigger: Trigger,
  now: number,
  policy: LeasePolicy,
): LeaseDecision {
  if (!record) return { kind: 'take', takeover: false };
  switch (record.state) {
    case 'sent':
      return {
        kind: 'answer',
        response: {
          ok: true,
          sent: true,
          reason: 'already_sent',
          ...(record.sentAt !== null ? { sent_at: Math.floor(record.sentAt / 1000) } : {}),
        },
      };
    case 'leased':
      if (record.leaseExpiresAt !== null && record.leaseExpiresAt > now) {
        const response: LeadResponse = { ok: true, sent: false, reason: 'in_progress' };
        // The customer left (pagehide, idle...) while an `auto` evaluation waits: don't lose that.
        const stronger = record.trigger !== null && isAutoTrigger(record.trigger) && !isAutoTrigger(trigger) && trigger !== 'resend';
        return stronger ? { kind: 'upgrade', response } : { kind: 'answer', response };
      }
      if (sendStartedUnderLease(record)) {
        const startedAt = record.sendStartedAt ?? now;
        return { kind: 'settle_unconfirmed', response: { ok: true, sent: true, reason: 'already_sent', sent_at: Math.floor(startedAt / 1000) } };
      }
      return { kind: 'take', takeover: true };
    case 'error':
      if (trigger !== 'resend' && record.cooldownUntil !== null && record.cooldownUntil > now) {
        return { kind: 'answer', response: { ok: true, sent: false, reason: 'cooldown' } };
      }
      return { kind: 'take', takeover: false };
    case 'open': {
      const outcome = record.lastOutcome;
      const recent = record.lastEvaluatedAt !== null && now - record.lastEvaluatedAt < policy.reevaluateAfterMs;
      const fromBrowser = trigger !== 'resend' && trigger !== 'safety_net';
      // `idle` after an `auto` evaluation is stronger (it emails on contact alone): evaluate again.
      const noStronger = isAutoTrigger(trigger) || (record.trigger !== null && !isAutoTrigger(record.trigger));
      if ((outcome === 'not_ready' || outcome === 'missing_contact') && recent && fromBrowser && noStronger) {
        return {
          kind: 'answer',
          response: {
            ok: true,
            sent: false,
            reason: outcome,
            ...(record.missingInfo.length > 0 ? { missing_info: record.missingInfo } : {}),
          },
        };
      }
      return { kind: 'take', takeover: false };
    }
  }
}
