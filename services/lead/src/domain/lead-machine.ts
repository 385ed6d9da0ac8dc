import type { LeadSummary } from '@lead-intake/shared/api';
import {
  HISTORY_LIMIT,
  RETRIES_AFTER_FAILURE,
  isAutoTrigger,
  newLeadRecord,
  shouldSend,
  triggerStrength,
  type ConversationVersion,
  type HistoryEntry,
  type Lease,
  type LeadRecord,
  type LeasePurpose,
  type SendUncertainty,
  type SentEmail,
  type Trigger,
} from './lead-record.js';

/**
 * The lead record as a state machine: every change is `applyLeadEvent(threadId, record, event,
 * now, policy)`, a pure function giving the new record and what must happen next (effects).
 * The Firestore adapter reads the record, applies an event inside a transaction and writes the
 * result; the use cases carry out the effects once it has committed.
 */

export interface LeadPolicy {
  /** How long a lease is exclusive; a task must finish (or start sending) within it. */
  leaseMs: number;
  /** After a final failure, new attempts are refused this long. */
  cooldownMs: number;
  /** Records expire (Firestore TTL on `expiresAt`) this long after their last change. */
  retentionMs: number;
  /** An `auto` lead evaluation waits this long, so a burst of turns yields one evaluation. */
  autoDelayMs: number;
  /** At most one follow-up per window; an `auto` follow-up waits a window for the customer to finish. */
  followUpWindowMs: number;
}

export type LeadEvent =
  /** Someone says the thread may hold a lead (or news for the shop). `leaseId`: the id a new lease gets. */
  | { type: 'trigger'; trigger: Trigger; version: ConversationVersion; leaseId: string }
  /** A lease whose task could not be scheduled: let the next trigger try at once. */
  | { type: 'released'; leaseId: string }
  /** The task found nothing to email for `version`. `nextLeaseId`: for a trigger that waited meanwhile. */
  | {
      type: 'evaluated';
      leaseId: string;
      version: ConversationVersion;
      outcome: 'missing_contact' | 'not_ready' | 'nothing_new';
      missingInfo: string[];
      nextLeaseId: string;
    }
  /** The summary of the lead lease's transcript: send now, or not ready (by the lease's current trigger). */
  | { type: 'summarized'; leaseId: string; version: ConversationVersion; fingerprint: string; summary: LeadSummary; nextLeaseId: string }
  /** Just before SES: the send marker. */
  | {
      type: 'send_started';
      leaseId: string;
      sendId: string;
      version: ConversationVersion;
      messageIds: string[];
      degraded: boolean;
      subject: string;
    }
  /** SES proved it took nothing: the marker of this attempt goes, so a retry may send. */
  | { type: 'send_cancelled'; leaseId: string; sendId: string }
  /** SES took the email (`messageId`), or may have (`uncertainty`); also a late confirmation. */
  | { type: 'sent'; leaseId: string; messageId: string | null; uncertainty: SendUncertainty | null; nextLeaseId: string }
  /** Final failure, nothing sent: cooldown. */
  | { type: 'failed'; leaseId: string }
  | { type: 'safety_net_scheduled' }
  /** An operator clears the sent state (audited); a `resend` trigger follows. */
  | { type: 'resend'; by: string; reason: string };

export type LeadEffect =
  /** Schedule the lease's task (evaluation or follow-up) to run after `delayMs`. */
  | { type: 'run_task'; leaseId: string; purpose: LeasePurpose; trigger: Trigger; delayMs: number }
  /**
   * The server's own evaluation of the thread: the safety net (once per thread, `retry` absent), or
   * a retry after a final failure's cooldown (`retry` n, at most RETRIES_AFTER_FAILURE).
   */
  | { type: 'schedule_safety_net'; retry?: { attempt: number; delayMs: number } };

/** A trigger's answer. */
export type TriggerVerdict =
  | { kind: 'queued'; purpose: LeasePurpose; lease: Lease; takeover: boolean }
  | { kind: 'in_progress'; leadSent: boolean }
  | { kind: 'already_sent'; sentAt: number }
  | { kind: 'cooldown'; leadSent: boolean }
  | { kind: 'not_ready' | 'missing_contact'; missingInfo: string[] };

interface Results {
  /** `settled`: an expired lease had started sending and never recorded it; recorded as sent (unconfirmed). */
  trigger: { verdict: TriggerVerdict; settled: LeasePurpose | null };
  released: { released: boolean };
  evaluated: { current: boolean };
  summarized: { verdict: 'send' | 'not_ready' | 'lease_lost'; trigger: Trigger | null };
  send_started: { verdict: 'started' | 'already_started' | 'lease_lost' };
  send_cancelled: { cancelled: boolean };
  /** `recorded` this send; `confirmed` an unconfirmed one; `already` known; `stale`: no such send. */
  sent: { recorded: 'recorded' | 'confirmed' | 'already' | 'stale' };
  /** `retrying`: the server evaluates again after the cooldown; false: no retry left (alert). */
  failed: { current: boolean; retrying: boolean };
  safety_net_scheduled: { scheduled: boolean };
  resend: { found: boolean };
}

type LeadResult<E extends LeadEvent = LeadEvent> = Results[E['type']] & { effects: LeadEffect[] };

export interface LeadStep<E extends LeadEvent = LeadEvent> {
  /** The record after the event; the very same object when nothing changed (nothing to write). */
  record: LeadRecord | null;
  result: LeadResult<E>;
}

type Step<K extends keyof Results> = { record: LeadRecord | null; result: Results[K] & { effects: LeadEffect[] } };

export function applyLeadEvent<E extends LeadEvent>(
  threadId: string,
  record: LeadRecord | null,
  event: E,
  now: number,
  policy: LeadPolicy,
): LeadStep<E> {
  const machine = new Machine(threadId, now, policy);
  return machine.apply(record, event) as LeadStep<E>;
}

/** When a follow-up may leave: leaving customers at once, `auto` after a quiet window, never two within a window. */
export function followUpDueAt(trigger: Trigger, record: Pick<LeadRecord, 'followUps'>, now: number, windowMs: number): number {
  const wanted = isAutoTrigger(trigger) ? now + windowMs : now;
  const last = record.followUps.last;
  return Math.max(wanted, last ? last.sentAt + windowMs : now);
}

/**
 * What a record's current lease and safety net need scheduled (idempotent: task names derive from
 * thread + lease). Re-issued by triggers that find the lease busy and by tasks that find theirs
 * gone, so a lease whose write landed unheard is never left without its task.
 */
export function scheduledWork(record: LeadRecord, now: number): LeadEffect[] {
  const { lease } = record;
  const effects: LeadEffect[] = [];
  if (lease && !lease.send && lease.expiresAt > now) {
    effects.push({
      type: 'run_task',
      leaseId: lease.id,
      purpose: lease.purpose,
      trigger: lease.trigger,
      delayMs: Math.max(0, lease.dueAt - now),
    });
  }
  if (!record.safetyNetScheduled && record.attempts > 0) effects.push({ type: 'schedule_safety_net' });
  return effects;
}

const stronger = (a: Trigger, b: Trigger): Trigger => (triggerStrength(b) > triggerStrength(a) ? b : a);

class Machine {
  constructor(
    private readonly threadId: string,
    private readonly now: number,
    private readonly policy: LeadPolicy,
  ) {}

  apply(record: LeadRecord | null, event: LeadEvent): LeadStep {
    switch (event.type) {
      case 'trigger':
        return this.trigger(record, event);
      case 'released':
        return this.released(record, event.leaseId);
      case 'evaluated':
        return this.evaluated(record, event);
      case 'summarized':
        return this.summarized(record, event);
      case 'send_started':
        return this.sendStarted(record, event);
      case 'send_cancelled':
        return this.sendCancelled(record, event.leaseId, event.sendId);
      case 'sent':
        return this.sent(record, event);
      case 'failed':
        return this.failed(record, event.leaseId);
      case 'safety_net_scheduled':
        return this.safetyNetScheduled(record);
      case 'resend':
        return this.resend(record, event);
    }
  }

  // --- triggers ---------------------------------------------------------------------------

  private trigger(record: LeadRecord | null, event: Extract<LeadEvent, { type: 'trigger' }>): Step<'trigger'> {
    let current = record;
    let settled: LeasePurpose | null = null;
    let replaced: 'expired' | null = null;
    const lease = current?.lease ?? null;
    if (current && lease) {
      if (lease.expiresAt > this.now) return this.busy(current, lease, event);
      if (lease.send) {
        // Its task started sending and never recorded it: the email probably went out. Never again.
        current = this.recordSend(current, lease, this.interruptedSend(lease, lease.send.startedAt));
        settled = lease.purpose;
      } else {
        replaced = 'expired';
      }
    }
    const step = this.free(current, event, replaced);
    return { record: step.record, result: { ...step.result, settled } };
  }

  /**
   * A live lease: answer in_progress, keeping what this trigger adds (a stronger reason, a newer
   * version). Its task is scheduled again (the same task name: a no-op when it exists), in case
   * the write that took the lease landed while its caller heard a failure and never scheduled it.
   */
  private busy(record: LeadRecord, lease: Lease, event: Extract<LeadEvent, { type: 'trigger' }>): Step<'trigger'> {
    const refused: Step<'trigger'> = {
      record,
      result: { verdict: { kind: 'in_progress', leadSent: record.lead !== null }, settled: null, effects: scheduledWork(record, this.now) },
    };
    if (lease.purpose === 'follow_up' && !lease.send) {
      const dueAt = followUpDueAt(event.trigger, record, this.now, this.policy.followUpWindowMs);
      // The customer left while an `auto` follow-up waits for its window: send sooner, under a new lease.
      if (dueAt < lease.dueAt) return this.take(record, event, 'follow_up', dueAt, 'waiting', Math.max(event.version, lease.version));
    }
    let next = lease;
    if (lease.purpose === 'lead' && !lease.send && triggerStrength(event.trigger) > triggerStrength(lease.trigger)) {
      // The customer left while an `auto` evaluation waits: it now emails on contact alone.
      next = { ...next, trigger: event.trigger };
    }
    const pendingVersion = Math.max(next.pending?.version ?? next.version, event.version);
    const pendingTrigger = next.pending ? stronger(next.pending.trigger, event.trigger) : event.trigger;
    const addsSomething =
      pendingVersion > (next.pending?.version ?? next.version) ||
      triggerStrength(pendingTrigger) > triggerStrength(next.pending?.trigger ?? next.trigger);
    if (addsSomething) next = { ...next, pending: { version: pendingVersion, trigger: pendingTrigger } };
    if (next === lease) return refused;
    let changed = this.touch({ ...record, lease: next });
    if (next.trigger !== lease.trigger) changed = this.log(changed, { kind: 'upgraded', trigger: next.trigger });
    return { ...refused, record: changed };
  }

  /** No live lease: reuse an outcome of this version, or take a lease. */
  private free(
    record: LeadRecord | null,
    event: Extract<LeadEvent, { type: 'trigger' }>,
    replaced: 'expired' | null,
  ): Omit<Step<'trigger'>, 'result'> & { result: { verdict: TriggerVerdict; effects: LeadEffect[] } } {
    const base = record ?? newLeadRecord(this.threadId, this.now);
    const refuse = (verdict: TriggerVerdict) => ({ record, result: { verdict, effects: [] } });
    const leadSent = base.lead !== null;
    if (base.failure && base.failure.cooldownUntil > this.now && event.trigger !== 'resend') {
      return refuse({ kind: 'cooldown', leadSent });
    }
    if (base.lead === null) {
      const last = base.lastOutcome;
      if (last && event.trigger !== 'resend' && event.version <= last.version) {
        // Contact does not depend on the trigger; `not_ready` only holds for a trigger no stronger.
        if (last.outcome === 'missing_contact' || triggerStrength(event.trigger) <= triggerStrength(last.trigger)) {
          return refuse({ kind: last.outcome, missingInfo: last.missingInfo });
        }
      }
      const dueAt = this.now + (isAutoTrigger(event.trigger) ? this.policy.autoDelayMs : 0);
      return this.take(base, event, 'lead', dueAt, replaced, event.version);
    }
    if (event.version <= base.reported.version) return refuse({ kind: 'already_sent', sentAt: base.lead.sentAt });
    const dueAt = followUpDueAt(event.trigger, base, this.now, this.policy.followUpWindowMs);
    return this.take(base, event, 'follow_up', dueAt, replaced, event.version);
  }

  private take(
    base: LeadRecord,
    event: Extract<LeadEvent, { type: 'trigger' }>,
    purpose: LeasePurpose,
    dueAt: number,
    replaced: 'expired' | 'waiting' | null,
    version: ConversationVersion,
  ): Step<'trigger'> {
    const lease: Lease = {
      id: event.leaseId,
      purpose,
      trigger: event.trigger,
      version,
      takenAt: this.now,
      expiresAt: this.now + this.policy.leaseMs,
      dueAt,
      pending: null,
      send: null,
    };
    const record = this.log(this.touch({ ...base, lease, attempts: base.attempts + 1, failure: null }), {
      kind: 'lease',
      purpose,
      trigger: event.trigger,
      version,
      dueAt,
      replaced,
    });
    const effects: LeadEffect[] = [{ type: 'run_task', leaseId: lease.id, purpose, trigger: event.trigger, delayMs: dueAt - this.now }];
    if (!base.safetyNetScheduled && event.trigger !== 'safety_net') effects.push({ type: 'schedule_safety_net' });
    return {
      record,
      result: { verdict: { kind: 'queued', purpose, lease, takeover: replaced !== null }, settled: null, effects },
    };
  }

  /**
   * A lease ended: a trigger that came while it was busy is taken up now, by the same rules as
   * any trigger (a newer version evaluates, an unchanged one reuses the outcome just recorded).
   */
  private afterLease(record: LeadRecord, ended: Lease, nextLeaseId: string): { record: LeadRecord; effects: LeadEffect[] } {
    if (!ended.pending) return { record, effects: [] };
    const step = this.free(record, { type: 'trigger', ...ended.pending, leaseId: nextLeaseId }, null);
    return { record: step.record ?? record, effects: step.result.effects };
  }

  // --- the task's events ------------------------------------------------------------------

  /** The record and its lease, when `leaseId` is still the thread's lease (fencing). */
  private owned(record: LeadRecord | null, leaseId: string): { record: LeadRecord; lease: Lease } | null {
    return record?.lease?.id === leaseId ? { record, lease: record.lease } : null;
  }

  private released(record: LeadRecord | null, leaseId: string): Step<'released'> {
    const own = this.owned(record, leaseId);
    if (!own || own.lease.send) return { record, result: { released: false, effects: [] } };
    const next = this.log(this.touch({ ...own.record, lease: null }), { kind: 'released', purpose: own.lease.purpose });
    return { record: next, result: { released: true, effects: [] } };
  }

  private evaluated(record: LeadRecord | null, event: Extract<LeadEvent, { type: 'evaluated' }>): Step<'evaluated'> {
    const own = this.owned(record, event.leaseId);
    if (!own || own.lease.send) return { record, result: { current: false, effects: [] } };
    const { lease } = own;
    let next: LeadRecord = { ...own.record, lease: null };
    if (event.outcome === 'nothing_new') {
      next = { ...next, reported: { ...next.reported, version: Math.max(next.reported.version, event.version) } };
    } else {
      next = {
        ...next,
        lastOutcome: {
          outcome: event.outcome,
          version: event.version,
          trigger: lease.trigger,
          at: this.now,
          missingInfo: event.missingInfo,
        },
      };
    }
    next = this.log(this.touch(next), { kind: 'outcome', outcome: event.outcome, trigger: lease.trigger, version: event.version });
    const after = this.afterLease(next, lease, event.nextLeaseId);
    return { record: after.record, result: { current: true, effects: after.effects } };
  }

  private summarized(record: LeadRecord | null, event: Extract<LeadEvent, { type: 'summarized' }>): Step<'summarized'> {
    const own = this.owned(record, event.leaseId);
    if (!own || own.lease.send || own.lease.purpose !== 'lead')
      return { record, result: { verdict: 'lease_lost', trigger: null, effects: [] } };
    const { lease } = own;
    const cached = { ...own.record, summary: { fingerprint: event.fingerprint, version: event.version, summary: event.summary } };
    // The lease's trigger now, not when the task started: the customer may have left meanwhile.
    if (shouldSend(lease.trigger, event.summary.handoff_ready)) {
      const unchanged = record?.summary?.fingerprint === event.fingerprint;
      return { record: unchanged ? record : this.touch(cached), result: { verdict: 'send', trigger: lease.trigger, effects: [] } };
    }
    const step = this.evaluated(cached, {
      type: 'evaluated',
      leaseId: event.leaseId,
      version: event.version,
      outcome: 'not_ready',
      missingInfo: event.summary.missing_info,
      nextLeaseId: event.nextLeaseId,
    });
    return { record: step.record, result: { verdict: 'not_ready', trigger: lease.trigger, effects: step.result.effects } };
  }

  private sendStarted(record: LeadRecord | null, event: Extract<LeadEvent, { type: 'send_started' }>): Step<'send_started'> {
    const own = this.owned(record, event.leaseId);
    if (!own) return { record, result: { verdict: 'lease_lost', effects: [] } };
    // A previous run of this task got this far: SES may have the email. Never again under this lease.
    if (own.lease.send) return { record, result: { verdict: 'already_started', effects: [] } };
    const next = this.touch({
      ...own.record,
      lease: {
        ...own.lease,
        expiresAt: this.now + this.policy.leaseMs,
        send: {
          sendId: event.sendId,
          startedAt: this.now,
          version: event.version,
          messageIds: event.messageIds,
          degraded: event.degraded,
          subject: event.subject,
        },
      },
    });
    return { record: next, result: { verdict: 'started', effects: [] } };
  }

  private sendCancelled(record: LeadRecord | null, leaseId: string, sendId: string): Step<'send_cancelled'> {
    const own = this.owned(record, leaseId);
    // Another attempt's marker (a duplicate delivery of this task) is not this one's to take back.
    if (!own?.lease.send || own.lease.send.sendId !== sendId) return { record, result: { cancelled: false, effects: [] } };
    return { record: this.touch({ ...own.record, lease: { ...own.lease, send: null } }), result: { cancelled: true, effects: [] } };
  }

  private sent(record: LeadRecord | null, event: Extract<LeadEvent, { type: 'sent' }>): Step<'sent'> {
    const own = this.owned(record, event.leaseId);
    if (own?.lease.send) {
      const { lease } = own;
      const email =
        event.uncertainty === 'task_interrupted'
          ? this.interruptedSend(lease, own.lease.send.startedAt)
          : this.sentEmail(lease, this.now, event.messageId, event.uncertainty);
      const next = this.recordSend(own.record, lease, email);
      const after = this.afterLease(next, lease, event.nextLeaseId);
      return { record: after.record, result: { recorded: 'recorded', effects: after.effects } };
    }
    if (!record) return { record, result: { recorded: 'stale', effects: [] } };
    // A send already recorded (unconfirmed by a trigger that found the lease expired, or a retry).
    const which: 'lead' | 'last' | null =
      record.lead?.leaseId === event.leaseId ? 'lead' : record.followUps.last?.leaseId === event.leaseId ? 'last' : null;
    if (!which) return { record, result: { recorded: 'stale', effects: [] } };
    const known = which === 'lead' ? record.lead : record.followUps.last;
    if (!known || known.uncertainty === null || event.messageId === null || event.uncertainty !== null) {
      return { record, result: { recorded: 'already', effects: [] } };
    }
    const confirmed: SentEmail = { ...known, messageId: event.messageId, uncertainty: null };
    let next: LeadRecord =
      which === 'lead' ? { ...record, lead: confirmed } : { ...record, followUps: { ...record.followUps, last: confirmed } };
    next = this.log(this.touch(next), { kind: 'confirmed', purpose: which === 'lead' ? 'lead' : 'follow_up', messageId: event.messageId });
    return { record: next, result: { recorded: 'confirmed', effects: [] } };
  }

  private failed(record: LeadRecord | null, leaseId: string): Step<'failed'> {
    const own = this.owned(record, leaseId);
    if (!own) return { record, result: { current: false, retrying: false, effects: [] } };
    const failures = own.record.failures + 1;
    const next = this.log(
      this.touch({
        ...own.record,
        lease: null,
        failure: { at: this.now, purpose: own.lease.purpose, cooldownUntil: this.now + this.policy.cooldownMs },
        failures,
      }),
      { kind: 'failed', purpose: own.lease.purpose },
    );
    // Nobody may trigger again (the customer left): the server tries once more after the cooldown.
    const retrying = failures <= RETRIES_AFTER_FAILURE;
    const effects: LeadEffect[] = retrying
      ? [{ type: 'schedule_safety_net', retry: { attempt: failures, delayMs: this.policy.cooldownMs } }]
      : [];
    return { record: next, result: { current: true, retrying, effects } };
  }

  private safetyNetScheduled(record: LeadRecord | null): Step<'safety_net_scheduled'> {
    if (!record || record.safetyNetScheduled) return { record, result: { scheduled: false, effects: [] } };
    return { record: this.touch({ ...record, safetyNetScheduled: true }), result: { scheduled: true, effects: [] } };
  }

  private resend(record: LeadRecord | null, event: Extract<LeadEvent, { type: 'resend' }>): Step<'resend'> {
    if (!record) return { record, result: { found: false, effects: [] } };
    const next = this.log(
      this.touch({
        ...record,
        lease: null,
        lead: null,
        lastOutcome: null,
        failure: null,
        failures: 0,
        reported: { version: 0, messageIds: [] },
      }),
      {
        kind: 'resend',
        by: event.by,
        reason: event.reason,
        previousSentAt: record.lead?.sentAt ?? null,
        previousMessageId: record.lead?.messageId ?? null,
        previousUncertainty: record.lead?.uncertainty ?? null,
      },
    );
    return { record: next, result: { found: true, effects: [] } };
  }

  // --- helpers ----------------------------------------------------------------------------

  private sentEmail(lease: Lease, sentAt: number, messageId: string | null, uncertainty: SendUncertainty | null): SentEmail {
    const send = lease.send;
    return {
      leaseId: lease.id,
      sentAt,
      messageId,
      uncertainty,
      version: send?.version ?? lease.version,
      messageCount: send?.messageIds.length ?? 0,
      degraded: send?.degraded ?? false,
      subject: send?.subject ?? '',
      trigger: lease.trigger,
    };
  }

  private interruptedSend(lease: Lease, startedAt: number): SentEmail {
    return this.sentEmail(lease, startedAt, null, 'task_interrupted');
  }

  /** The shop has the email (or may have): what it carried counts as reported. */
  private recordSend(record: LeadRecord, lease: Lease, email: SentEmail): LeadRecord {
    const ids = new Set(record.reported.messageIds);
    for (const id of lease.send?.messageIds ?? []) ids.add(id);
    const reported = { version: Math.max(record.reported.version, email.version), messageIds: [...ids] };
    const next: LeadRecord =
      lease.purpose === 'lead'
        ? { ...record, lease: null, lead: email, reported, summary: null, lastOutcome: null, failure: null }
        : { ...record, lease: null, reported, followUps: { count: record.followUps.count + 1, last: email } };
    return this.log(this.touch(next), {
      kind: 'sent',
      purpose: lease.purpose,
      trigger: email.trigger,
      version: email.version,
      messages: email.messageCount,
      messageId: email.messageId,
      uncertainty: email.uncertainty,
      degraded: email.degraded,
    });
  }

  private touch(record: LeadRecord): LeadRecord {
    return { ...record, updatedAt: this.now, expiresAt: this.now + this.policy.retentionMs };
  }

  private log(record: LeadRecord, entry: DistributiveOmit<HistoryEntry, 'at'>): LeadRecord {
    const history = [...record.history, { at: this.now, ...entry } as HistoryEntry];
    const dropped = Math.max(0, history.length - HISTORY_LIMIT);
    return { ...record, history: history.slice(dropped), historyDropped: record.historyDropped + dropped };
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
