import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ShopProfile } from '@lead-intake/shared';
import { chatKitThreadSchema, transcriptFromChatKit } from '../domain/chatkit-transcript.js';
import { contactOptionsFor, extractContact } from '../domain/contact-extraction.js';
import type { ExtractedContact } from '../domain/contact.js';
import { gateEvaluation, type GateDecision } from '../domain/evaluation-gate.js';
import { shouldSend } from '../domain/lead-record.js';
import { transcriptFingerprint } from '../domain/fingerprint.js';
import type { LeadSummary } from '@lead-intake/shared/api';
import type { Transcript } from '../domain/transcript.js';
import { renderLeadEmail } from '../email/index.js';
import type { RenderedEmail } from '../email/types.js';
import type { Summarizer, ThreadReader } from '../ports.js';

const itemList = z.union([
  z.array(z.unknown()),
  z
    .object({ data: z.array(z.unknown()) })
    .loose()
    .transform((page) => page.data),
]);
const fileSchema = z.union([
  // the hosted listItems output, or our items
  z.array(z.unknown()).transform((items) => ({ thread: undefined, items })),
  // a ChatKit protocol Thread (threads.get_by_id): the thread's fields with its items page
  chatKitThreadSchema.extend({ items: itemList }).transform(({ items, ...thread }) => ({ thread, items })),
  // { thread, items } (hosted retrieve + listItems, or our thread + items; items may be a page)
  z.object({ thread: chatKitThreadSchema.optional(), items: itemList }),
]);

/**
 * Reads a transcript from a file: the hosted `listItems` export (an array of
 * `chatkit.thread_item`, epoch seconds), our ChatKit items (`user_message`…, ISO 8601), either
 * as `{ "thread": …, "items": […] }`, or a ChatKit `Thread` with its `items` page.
 */
async function transcriptFromFile(path: string): Promise<Transcript> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    throw new Error(`${path} must hold an array of ChatKit thread items or { "thread": …, "items": […] }`);
  }
  const { thread, items } = parsed.data;
  const threadId =
    thread?.id ??
    items.find((item): item is { thread_id: string } => typeof (item as { thread_id?: unknown })?.thread_id === 'string')?.thread_id ??
    'cthr_preview';
  return transcriptFromChatKit(thread ?? { id: threadId, created_at: 0 }, items);
}

export interface PreviewResult {
  threadId: string;
  contact: ExtractedContact;
  /** What the worker would decide before any summary call (the same for every trigger). */
  gate: GateDecision['kind'];
  summary: LeadSummary | null;
  /** Whether each trigger would email, given the summary (null when not summarized). */
  wouldSend: { auto: boolean | null; idle: boolean };
  email: RenderedEmail;
}

/** Extraction, gating, summary and the rendered email, without sending or touching Firestore. */
export async function previewLead(input: {
  source: { threadId: string; reader: ThreadReader } | { file: string };
  shop: ShopProfile;
  summarizer: Summarizer | null;
  shopLanguage: string;
}): Promise<PreviewResult> {
  const transcript =
    'file' in input.source ? await transcriptFromFile(input.source.file) : await input.source.reader.fetchTranscript(input.source.threadId);
  const contact = extractContact(transcript, contactOptionsFor(input.shop));
  const fingerprint = transcriptFingerprint(transcript);
  const gate = gateEvaluation({ contact, fingerprint, cached: null }).kind;
  const summary =
    input.summarizer && gate === 'summarize'
      ? await input.summarizer.summarize({ transcript, shopName: input.shop.name, shopLanguage: input.shopLanguage, pageUrl: null })
      : null;
  const email = renderLeadEmail({
    shop: input.shop,
    threadId: transcript.threadId,
    transcript,
    contact,
    summary,
    ...(summary ? {} : { degradedReason: 'Preview without AI summary.' }),
    pageUrl: null,
    trigger: 'idle',
    locale: null,
    shopLanguage: input.shopLanguage,
  });
  return {
    threadId: transcript.threadId,
    contact,
    gate,
    summary,
    wouldSend: {
      auto: gate === 'summarize' && summary ? shouldSend('auto', summary.handoff_ready) : gate === 'summarize' ? null : false,
      idle: gate === 'summarize',
    },
    email,
  };
}
