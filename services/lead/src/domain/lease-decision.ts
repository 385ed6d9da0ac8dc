import { isAutoTrigger, sendStartedUnderLease, type LeadRecord, type Trigger } from './lead-record.js';

export interface LeasePolicy {
  /** A trigger no stronger than the last evaluated one, this soon after it, gets that outcome. */
  reevaluateAfterMs: number;
}

/** Why a trigger takes no new lease: what the thread's record says instead. */
export type LeaseRefusal =
  /** `sentAt`: epoch ms, null when the record never said. */
  | { reason: 'already_sent'; sentAt: number | null }
  | { reason: 'in_progress' }
  /** A recent attempt failed for good. */
  | { reason: 'cooldown' }
  /** The last evaluation, a moment ago, found no lead yet. */
  | { reason: 'not_ready' | 'missing_contact'; missingInfo: string[] };

export type LeaseDecision =
  /** `takeover`: the lease taken is an expired one (its task stopped or overran), not a free record. */
  | { kind: 'take'; takeover: boolean }
  /** A live `auto` lease: raise its trigger so its evaluation emails on contact alone. */
  | { kind: 'upgrade'; refusal: LeaseRefusal }
  /**
   * An expired lease whose task started sending and never recorded it (it crashed, or Firestore
   * failed it): the email probably went out. Record it as sent, unconfirmed; never send again.
   */
  | { kind: 'settle_unconfirmed'; refusal: LeaseRefusal }
  | { kind: 'refuse'; refusal: LeaseRefusal };

/** A sent thread refuses every trigger (the trigger's fast path and `decideLease` alike). */
export const alreadySent = (record: Pick<LeadRecord, 'sentAt'>): LeaseRefusal => ({ reason: 'already_sent', sentAt: record.sentAt });

/**
 * Whether a trigger may take the thread's lease, or what the record says instead.
 * Pure: the Firestore transaction reads the record, asks this, and writes the result.
 */
export function decideLease(record: LeadRecord | null, trigger: Trigger, now: number, policy: LeasePolicy): LeaseDecision {
  if (!record) return { kind: 'take', takeover: false };
  switch (record.state) {
    case 'sent':
      return { kind: 'refuse', refusal: alreadySent(record) };
    case 'leased':
      if (record.leaseExpiresAt !== null && record.leaseExpiresAt > now) {
        const refusal: LeaseRefusal = { reason: 'in_progress' };
        // The customer left (pagehide, idle...) while an `auto` evaluation waits: don't lose that.
        const stronger = record.trigger !== null && isAutoTrigger(record.trigger) && !isAutoTrigger(trigger) && trigger !== 'resend';
        return stronger ? { kind: 'upgrade', refusal } : { kind: 'refuse', refusal };
      }
      if (sendStartedUnderLease(record)) {
        return { kind: 'settle_unconfirmed', refusal: alreadySent({ sentAt: record.sendStartedAt ?? now }) };
      }
      return { kind: 'take', takeover: true };
    case 'error':
      if (trigger !== 'resend' && record.cooldownUntil !== null && record.cooldownUntil > now) {
        return { kind: 'refuse', refusal: { reason: 'cooldown' } };
      }
      return { kind: 'take', takeover: false };
    case 'open': {
      const outcome = record.lastOutcome;
      const recent = record.lastEvaluatedAt !== null && now - record.lastEvaluatedAt < policy.reevaluateAfterMs;
      const fromBrowser = trigger !== 'resend' && trigger !== 'safety_net';
      // `idle` after an `auto` evaluation is stronger (it emails on contact alone): evaluate again.
      const noStronger = isAutoTrigger(trigger) || (record.trigger !== null && !isAutoTrigger(record.trigger));
      if ((outcome === 'not_ready' || outcome === 'missing_contact') && recent && fromBrowser && noStronger) {
        return { kind: 'refuse', refusal: { reason: outcome, missingInfo: record.missingInfo } };
      }
      return { kind: 'take', takeover: false };
    }
  }
}
