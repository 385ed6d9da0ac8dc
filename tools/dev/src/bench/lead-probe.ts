/**
 * The lead service on a local stack as the lead benchmarks drive and watch it: triggers over its
 * public API, its record read straight from Firestore, the shop's inbox (local SES) and the
 * summary calls the OpenAI stand-in received.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Firestore } from '@google-cloud/firestore';
import { FirestoreThreadStore, type ThreadStore } from '@lead-intake/shared';
import type { LeadTriggerReason } from '@lead-intake/shared/api';
import type { LocalStack } from '../local-stack/start-local-stack.js';
import type { SesStoredEmail } from '../ses/start-ses.js';
import { localFirestoreClient } from '../testing/firestore-client.js';

/** The fields of services/lead's `leadThreads` document the benchmarks look at. */
export interface LeadRecordView {
  lease: { purpose: 'lead' | 'follow_up'; dueAt: number; send: object | null } | null;
  lead: { sentAt: number } | null;
}

/** A lead task due within this long counts as work still to come. */
const SOON_MS = 5_000;

/** Epoch ms with a fractional part: the clock the local SES stamps `acceptedAtMs` with (same process). */
export const epochMs = (): number => performance.timeOrigin + performance.now();

export class LeadProbe {
  readonly threads: ThreadStore;
  private readonly db: Firestore;
  private readonly ses: string;
  private readonly openaiControl: string;

  constructor(
    private readonly stack: LocalStack,
    private readonly origin: string,
  ) {
    this.db = localFirestoreClient({ projectId: stack.projectId, hostPort: stack.firestore.hostPort });
    this.threads = new FirestoreThreadStore(this.db, { retentionMs: 86_400_000 });
    this.ses = stack.urls.sesViewer.replace(/\/$/, '');
    this.openaiControl = stack.urls.openai.replace(/\/v1$/, '');
  }

  /** `POST /api/chatkit/lead`; the answer's `reason`. */
  async trigger(threadId: string, reason: LeadTriggerReason): Promise<string> {
    const response = await fetch(`${this.stack.urls.lead}/api/chatkit/lead`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: this.origin },
      body: JSON.stringify({ threadId, reason }),
    });
    const body = (await response.json()) as { reason?: string };
    if (!response.ok || !body.reason) throw new Error(`${reason} trigger for ${threadId}: HTTP ${response.status} ${JSON.stringify(body)}`);
    return body.reason;
  }

  async record(threadId: string): Promise<LeadRecordView | undefined> {
    return (await this.db.collection('leadThreads').doc(threadId).get()).data() as LeadRecordView | undefined;
  }

  /**
   * The record once the lead pipeline is done with what it was given: no lease (or only a
   * follow-up waiting out its window) and no lead task due soon (a task may still be finishing
   * after its lease ended).
   */
  async settled(threadId: string, timeoutMs = 60_000): Promise<LeadRecordView | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const record = await this.record(threadId);
      const lease = record?.lease;
      const leaseIdle = !lease || (!lease.send && lease.dueAt > Date.now() + SOON_MS);
      if (leaseIdle && !(await this.leadTaskDueSoon())) return record;
      if (Date.now() > deadline) throw new Error(`the lead pipeline of ${threadId} did not settle: ${JSON.stringify(lease)}`);
      await sleep(25);
    }
  }

  private async leadTaskDueSoon(): Promise<boolean> {
    const { queues } = (await (await fetch(`${this.stack.urls.cloudInspect}/tasks.json`)).json()) as {
      queues: Array<{ name: string; tasks: Array<{ scheduleTimeMs: number }> }>;
    };
    const soon = Date.now() + SOON_MS;
    return queues.some((queue) => queue.name.endsWith('/lead-evaluations') && queue.tasks.some((task) => task.scheduleTimeMs <= soon));
  }

  /** The first email accepted since `sinceMs` whose subject contains `needle` (polled; the time is SES's own). */
  async acceptedEmail(needle: string, sinceMs: number, timeoutMs = 30_000): Promise<SesStoredEmail & { acceptedAtMs: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = await fetch(`${this.ses}/store?since=${Math.floor(sinceMs / 1000)}`);
      const { emails } = (await response.json()) as { emails: SesStoredEmail[] };
      const email = emails.find((candidate) => candidate.subject.includes(needle));
      if (email?.acceptedAtMs !== undefined) return { ...email, acceptedAtMs: email.acceptedAtMs };
      if (Date.now() > deadline) throw new Error(`no email for ${needle} reached the local SES`);
      await sleep(10);
    }
  }

  /** Pins the OpenAI stand-in's summary fields for a thread (a fixture's `summary`). */
  async pinSummary(threadId: string, summary: object): Promise<void> {
    const response = await fetch(`${this.openaiControl}/__stub/summaries/${threadId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(summary),
    });
    if (!response.ok) throw new Error(`pinning the summary of ${threadId}: HTTP ${response.status}`);
  }

  /** The summary calls (`POST /v1/responses`) the stand-in received whose body names `threadId`. */
  async summaryCalls(threadId: string): Promise<number> {
    const { data } = (await (await fetch(`${this.openaiControl}/__stub/requests`)).json()) as {
      data: Array<{ route: string | null; rawBody: string }>;
    };
    const names = new RegExp(`${threadId}(?![A-Za-z0-9_-])`);
    return data.filter((request) => request.route === 'POST /v1/responses' && names.test(request.rawBody)).length;
  }

  close(): Promise<void> {
    return this.db.terminate();
  }
}
