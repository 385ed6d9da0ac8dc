/**
 * A whole lead world in memory, on virtual time, for the model-based tests: the real use cases
 * (`triggerLead`, `runLeadTask`), the real state machine and email renderers, behind in-memory
 * stand-ins of every port with injectable faults, a Cloud Tasks queue with retries, backoff and
 * duplicate deliveries, the session service's `auto` trigger task, and a customer with a browser.
 */
import { createHash } from 'node:crypto';
import { createLogger, type ShopProfile } from '@lead-intake/shared';
import type { LeadSummary } from '@lead-intake/shared/api';
import { contactOptionsFor, extractContact } from '../../src/domain/contact-extraction.js';
import { hasContact } from '../../src/domain/contact.js';
import { PermanentError, SendOutcomeUnknownError, ThreadNotFoundError, TransientError } from '../../src/domain/errors.js';
import { transcriptFingerprint } from '../../src/domain/fingerprint.js';
import { applyLeadEvent, type LeadEvent, type LeadPolicy, type LeadStep } from '../../src/domain/lead-machine.js';
import type { LeadRecord, Trigger } from '../../src/domain/lead-record.js';
import type { Transcript, TranscriptMessage } from '../../src/domain/transcript.js';
import type { LeadRecordStore, Mailer, OutgoingEmail, Summarizer, TaskScheduler, ThreadReader } from '../../src/ports.js';
import type { LeadTaskPayload, RecordSentTaskPayload } from '../../src/task-payload.js';
import { runLeadTask, type LeadTaskDeps } from '../../src/use-cases/run-lead-task.js';
import { triggerLead, type TriggerLeadDeps } from '../../src/use-cases/trigger-lead.js';
import type { SimClock } from './sim-clock.js';

const THREAD = 'cthr_model';
export const AUTO_DELAY_MS = 5_000;
export const SAFETY_NET_MS = 30 * 60_000;
const MAX_ATTEMPTS = 8;
export const POLICY: LeadPolicy = {
  leaseMs: 600_000,
  cooldownMs: 300_000,
  retentionMs: 30 * 86_400_000,
  autoDelayMs: AUTO_DELAY_MS,
  followUpWindowMs: 60_000,
};
/** The slowest a summary or an SES call is in this world (ms). */
export const MAX_SUMMARY_MS = 3_000;
export const MAX_SEND_MS = 500;

/** Fault rates of one run (0 = none). */
export interface FaultPlan {
  openai: number;
  ses: number;
  firestore: number;
  cloudTasks: number;
  /** A browser trigger that never arrives (blocked beacon, offline). */
  lostBrowserTrigger: number;
  /** Cloud Tasks delivering a task twice at once (at-least-once delivery). */
  duplicateDelivery: number;
}

export const NO_FAULTS: FaultPlan = { openai: 0, ses: 0, firestore: 0, cloudTasks: 0, lostBrowserTrigger: 0, duplicateDelivery: 0 };

/** A small seeded PRNG (mulberry32): the same seed, the same run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Message extends TranscriptMessage {
  at: number;
  /** A customer message that tells the shop what the job is. */
  need: boolean;
}

/** Every trigger the lead service answered: when, why, for which version, and what the rules said it should do. */
export interface TriggerSeen {
  at: number;
  reason: Trigger;
  version: number;
  shouldSend: boolean;
  answer: string;
}

interface SentMail extends OutgoingEmail {
  at: number;
  messageId: string;
}

/** The conversation in the thread store, as the session service writes it. */
class Conversation implements ThreadReader {
  readonly messages: Message[] = [];
  private ids = 0;

  constructor(
    private readonly world: LeadWorld,
    private readonly clock: SimClock,
  ) {}

  add(role: 'customer' | 'assistant', text: string, need = false): Message {
    this.ids += 1;
    const message: Message = {
      id: `cthi_${String(this.ids).padStart(4, '0')}`,
      role,
      text,
      createdAt: Math.floor(this.clock.now() / 1000),
      attachments: [],
      at: this.clock.now(),
      need,
    };
    this.messages.push(message);
    return message;
  }

  customerCount(): number {
    return this.messages.filter((message) => message.role === 'customer').length;
  }

  transcript(): Transcript {
    return {
      threadId: THREAD,
      title: null,
      user: 'anon_model_visitor',
      createdAt: Math.floor((this.messages[0]?.at ?? this.clock.now()) / 1000),
      version: this.customerCount(),
      messages: this.messages.map(({ at: _at, need: _need, ...message }) => ({ ...message })),
    };
  }

  async version(threadId: string): Promise<number | null> {
    this.world.maybeFail('firestore', 'thread store');
    return threadId === THREAD && this.messages.length > 0 ? this.customerCount() : null;
  }

  async fetchTranscript(threadId: string): Promise<Transcript> {
    this.world.maybeFail('firestore', 'thread store');
    if (threadId !== THREAD || this.messages.length === 0) throw new ThreadNotFoundError(threadId);
    return this.transcript();
  }
}

/** The lead record store: the real machine, applied atomically; Firestore blips fail a call before it applies, or after (it landed). */
class MemoryRecords implements LeadRecordStore {
  private readonly records = new Map<string, LeadRecord>();

  constructor(
    private readonly world: LeadWorld,
    private readonly clock: SimClock,
  ) {}

  async get(threadId: string): Promise<LeadRecord | null> {
    this.world.maybeFail('firestore', 'lead record read');
    return this.records.get(threadId) ?? null;
  }

  async apply<E extends LeadEvent>(threadId: string, event: E): Promise<LeadStep<E>> {
    this.world.maybeFail('firestore', 'lead record transaction');
    const step = applyLeadEvent(threadId, this.records.get(threadId) ?? null, event, this.clock.now(), POLICY);
    if (step.record) this.records.set(threadId, step.record);
    // Committed, but the caller never hears so (the deadline passed): decision 0019's case.
    this.world.maybeFail('firestore', 'lead record transaction (after commit)');
    return step;
  }

  peek(threadId: string): LeadRecord | null {
    return this.records.get(threadId) ?? null;
  }
}

/** The AI summary: ready when the customer gave a contact and said what the job is. */
class FakeSummarizer implements Summarizer {
  /**
   * Every call: its transcript, when it started and ended, whether it answered, and what the
   * lead record held when it started (a summary of this very transcript, a sent lead email).
   */
  readonly calls: Array<{ fingerprint: string; ok: boolean; startedAt: number; endedAt: number; alreadyRecorded: boolean }> = [];

  constructor(private readonly world: LeadWorld) {}

  async summarize(input: { transcript: Transcript }): Promise<LeadSummary> {
    const startedAt = this.world.clock.now();
    const record = this.world.record();
    const alreadyRecorded = record?.summary?.fingerprint === transcriptFingerprint(input.transcript) || record?.lead != null;
    await this.world.clock.sleep(Math.round(300 + this.world.next() * (MAX_SUMMARY_MS - 300)));
    const fingerprint = transcriptFingerprint(input.transcript);
    const endedAt = this.world.clock.now();
    const fault = this.world.fault('openai');
    if (fault) {
      this.calls.push({ fingerprint, ok: false, startedAt, endedAt, alreadyRecorded });
      // 429 / 500 / a timeout are worth retrying; a rare 400 is not.
      if (fault < 0.1) throw new PermanentError('OpenAI 400 (injected)');
      throw new TransientError('OpenAI 429/500/timeout (injected)');
    }
    this.calls.push({ fingerprint, ok: true, startedAt, endedAt, alreadyRecorded });
    const ready = this.world.readyAt(input.transcript);
    return {
      handoff_ready: ready,
      handoff_reason: ready ? 'contact and need given' : 'missing details',
      missing_info: ready ? [] : ['what the job is'],
      customer_name: 'Ana',
      internal_summary: 'A customer asked about a repair.',
      project_details: 'cushions',
      vehicle: null,
      next_steps: ['Call the customer'],
      follow_up_questions: [],
      call_script_prompts: ['Hello', 'What needs fixing?', 'When can you come in?'],
      customer_language: 'en',
      outreach_message: 'Thanks for reaching out; we will call you shortly.',
    };
  }
}

/** SES: throttling (took nothing), a reply lost after it stored the email, a rare rejection. */
class FakeMailer implements Mailer {
  readonly mailbox: SentMail[] = [];
  private ids = 0;

  constructor(private readonly world: LeadWorld) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    await this.world.clock.sleep(Math.round(50 + this.world.next() * (MAX_SEND_MS - 50)));
    const fault = this.world.fault('ses');
    if (fault && fault < 0.5) throw new TransientError('SES Throttling (injected)');
    if (fault && fault < 0.6) throw new PermanentError('SES MessageRejected (injected)');
    this.ids += 1;
    const messageId = `ses-${this.ids}`;
    this.mailbox.push({ ...email, at: this.world.clock.now(), messageId });
    if (fault) throw new SendOutcomeUnknownError('SES reply lost (injected)');
    return { messageId };
  }

  messageIdHeader(messageId: string): string {
    return `<${messageId}@us-west-1.amazonses.com>`;
  }
}

type Handler<P> = (payload: P, retryCount: number) => Promise<unknown>;

/** Cloud Tasks: named tasks (a repeated name is a no-op), delays, retries with backoff, at-least-once delivery. */
class SimQueue<P> {
  private readonly names = new Set<string>();
  readonly gaveUp: string[] = [];

  constructor(
    private readonly world: LeadWorld,
    private readonly handler: Handler<P>,
  ) {}

  async create(name: string, payload: P, delayMs: number): Promise<void> {
    this.world.maybeFail('cloudTasks', 'createTask');
    if (this.names.has(name)) return;
    this.names.add(name);
    this.world.clock.at(this.world.clock.now() + delayMs, () => this.dispatch(name, payload, 0));
  }

  private dispatch(name: string, payload: P, retryCount: number): void {
    const deliveries = this.world.fault('duplicateDelivery') ? 2 : 1;
    let failed = false;
    const runs = Array.from({ length: deliveries }, () =>
      this.handler(payload, retryCount).catch(() => {
        failed = true;
      }),
    );
    void Promise.all(runs).then(() => {
      if (!failed) return;
      if (retryCount + 1 >= MAX_ATTEMPTS) {
        this.gaveUp.push(name);
        return;
      }
      const backoff = Math.min(300_000, 10_000 * 2 ** retryCount);
      this.world.clock.at(this.world.clock.now() + backoff, () => this.dispatch(name, payload, retryCount + 1));
    });
  }
}

const taskName = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);

export class LeadWorld {
  readonly conversation: Conversation;
  readonly records: MemoryRecords;
  readonly summarizer: FakeSummarizer;
  readonly mailer: FakeMailer;
  readonly triggers: TriggerSeen[] = [];
  readonly logLines: Array<Record<string, unknown>> = [];
  readonly faultsHit: string[] = [];
  private readonly leadQueue: SimQueue<LeadTaskPayload | RecordSentTaskPayload>;
  private readonly triggerQueue: SimQueue<{ reason: 'auto' }>;
  private readonly deps: LeadTaskDeps & TriggerLeadDeps;
  private leaseIds = 0;
  readonly next: () => number;

  constructor(
    readonly clock: SimClock,
    readonly shop: ShopProfile,
    private readonly faults: FaultPlan,
    seed: number,
  ) {
    this.next = random(seed);
    this.conversation = new Conversation(this, clock);
    this.records = new MemoryRecords(this, clock);
    this.summarizer = new FakeSummarizer(this);
    this.mailer = new FakeMailer(this);
    const log = createLogger(
      { level: 'info', service: 'lead-model' },
      { write: (line: string) => void this.logLines.push(JSON.parse(line)) },
    );
    this.leadQueue = new SimQueue(this, (payload, retryCount) =>
      runLeadTask(this.deps, payload, { retryCount, maxAttempts: MAX_ATTEMPTS }, log),
    );
    this.triggerQueue = new SimQueue(this, () => this.trigger('auto'));
    const tasks: TaskScheduler = {
      scheduleEvaluation: (payload, delaySeconds) =>
        this.leadQueue.create(taskName('lead', payload.threadId, payload.leaseId), payload, delaySeconds * 1000),
      scheduleSafetyNet: (payload, delaySeconds, retry = 0) =>
        this.leadQueue.create(taskName('safety', payload.threadId, String(retry)), payload, delaySeconds * 1000),
      scheduleRecordSent: (payload, delaySeconds) =>
        this.leadQueue.create(taskName('sent', payload.threadId, payload.leaseId), payload, delaySeconds * 1000),
    };
    this.deps = {
      records: this.records,
      tasks,
      threads: this.conversation,
      summarizer: this.summarizer,
      mailer: this.mailer,
      shop,
      mail: { from: 'leads@shop.example', to: ['shop@shop.example'], shopLanguage: 'en', visitorRecap: false },
      safetyNetDelaySeconds: SAFETY_NET_MS / 1000,
      newLeaseId: () => `lease-${(this.leaseIds += 1)}`,
      now: clock.now,
      sleep: (ms) => clock.sleep(ms),
    };
    this.triggerLog = log;
  }

  private readonly triggerLog: ReturnType<typeof createLogger>;

  /** A fault of this kind happens now (the PRNG's draw, scaled to [0, 1) when it does), or 0. */
  fault(kind: keyof FaultPlan): number {
    const rate = this.faults[kind];
    if (rate <= 0) return 0;
    const draw = this.next();
    if (draw >= rate) return 0;
    this.faultsHit.push(kind);
    return draw / rate || Number.EPSILON;
  }

  maybeFail(kind: 'firestore' | 'cloudTasks', what: string): void {
    if (this.fault(kind)) throw new TransientError(`${what} unavailable (injected)`);
  }

  /** What the rules say of a transcript: the customer gave a contact and said what the job is. */
  readyAt(transcript: Transcript): boolean {
    const needs = new Set(this.conversation.messages.filter((message) => message.need).map((message) => message.id));
    return this.contactIn(transcript) && transcript.messages.some((message) => needs.has(message.id));
  }

  contactIn(transcript: Transcript): boolean {
    return hasContact(extractContact(transcript, contactOptionsFor(this.shop)));
  }

  /** The lead service answering a trigger (the browser's POST, or a task's). */
  async trigger(reason: Trigger): Promise<void> {
    const transcript = this.conversation.transcript();
    const shouldSend = this.contactIn(transcript) && (reason !== 'auto' || this.readyAt(transcript));
    const seen: TriggerSeen = { at: this.clock.now(), reason, version: transcript.version, shouldSend, answer: 'error' };
    this.triggers.push(seen);
    const answer = await triggerLead(this.deps, { threadId: THREAD, reason: reason as 'auto' }, this.triggerLog);
    seen.answer = answer.reason;
  }

  // --- the customer and their browser ----------------------------------------------------

  /** The customer writes; the assistant answers a moment later, and the session service enqueues its `auto` trigger. */
  say(text: string, need: boolean): void {
    this.conversation.add('customer', text, need);
    const replyMs = 800 + Math.round(this.next() * 3_000);
    this.clock.at(this.clock.now() + replyMs, () => {
      const reply = this.conversation.add('assistant', 'Thanks, noted.');
      void this.triggerQueue.create(taskName('turn', reply.id), { reason: 'auto' }, Math.round(this.next() * 1_000)).catch(() => undefined);
    });
  }

  /** A browser trigger (beacon or keepalive fetch): it may never arrive, and its errors are nobody's. */
  browser(reason: 'idle' | 'pagehide' | 'chat_closed'): void {
    if (this.fault('lostBrowserTrigger')) return;
    void this.trigger(reason).catch(() => undefined);
  }

  record(): LeadRecord | null {
    return this.records.peek(THREAD);
  }

  critical(): Array<Record<string, unknown>> {
    return this.logLines.filter((line) => line.severity === 'CRITICAL');
  }

  gaveUp(): string[] {
    return [...this.leadQueue.gaveUp, ...this.triggerQueue.gaveUp];
  }
}
