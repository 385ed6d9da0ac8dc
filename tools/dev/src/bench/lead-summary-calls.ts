/**
 * Summary calls per conversation: each conversation fixture replayed turn by turn into a fresh
 * thread (a customer message and the assistant items after it, through the real thread store),
 * an `auto` trigger after each turn as the session service sends after each answer, then `idle`
 * and `pagehide`; each trigger waits for the lead pipeline to settle. Ours: the summary calls the
 * OpenAI stand-in received for the thread. Seed 000's policy: one summary call per trigger until
 * the lead is sent, i.e. the triggers up to the one after which our lead email was sent (all of
 * them when none was).
 */
import type { ThreadItem } from '@lead-intake/shared/chatkit';
import type { LeadTriggerReason } from '@lead-intake/shared/api';
import { appendItems, seedThread, type ConversationFixture, type ItemDraft } from '../fixtures/index.js';
import type { LeadProbe } from './lead-probe.js';

export interface SummaryCallsResult {
  conversations: Array<{
    name: string;
    triggers: number;
    /** The trigger (1-based) after which the lead email had been sent; null when none was. */
    sentAfterTrigger: number | null;
    ours: number;
    seed: number;
  }>;
  ours: number;
  seed: number;
  ratio: number;
}

type ReplayedConversation = SummaryCallsResult['conversations'][number];

export async function summaryCallsOnFixtures(probe: LeadProbe, run: string, fixtures: ConversationFixture[]): Promise<SummaryCallsResult> {
  const conversations: ReplayedConversation[] = [];
  for (const fixture of fixtures) conversations.push(await replay(probe, `cthr_bench_replay_${run}_${fixture.name}`, fixture));
  const ours = conversations.reduce((sum, c) => sum + c.ours, 0);
  const seed = conversations.reduce((sum, c) => sum + c.seed, 0);
  return { conversations, ours, seed, ratio: ours / seed };
}

async function replay(probe: LeadProbe, threadId: string, fixture: ConversationFixture): Promise<ReplayedConversation> {
  await seedThread(probe.threads, { thread: { ...fixture.thread, id: threadId }, items: [] });
  if (fixture.summary) await probe.pinSummary(threadId, fixture.summary);
  let triggers = 0;
  let sentAfterTrigger: number | null = null;
  const triggerAndSettle = async (reason: LeadTriggerReason) => {
    await probe.trigger(threadId, reason);
    triggers += 1;
    const record = await probe.settled(threadId);
    if (record?.lead && sentAfterTrigger === null) sentAfterTrigger = triggers;
  };
  for (const turn of turns(fixture.items)) {
    await appendItems(probe.threads, threadId, turn.map(toDraft));
    await triggerAndSettle('auto');
  }
  await triggerAndSettle('idle');
  await triggerAndSettle('pagehide');
  return { name: fixture.name, triggers, sentAfterTrigger, ours: await probe.summaryCalls(threadId), seed: sentAfterTrigger ?? triggers };
}

/** A customer message and what follows it up to the next one (anything before the first joins the first turn). */
function turns(items: readonly ThreadItem[]): ThreadItem[][] {
  const groups: ThreadItem[][] = [];
  for (const item of items) {
    const current = groups.at(-1);
    if (!current || (item.type === 'user_message' && current.some((earlier) => earlier.type === 'user_message'))) groups.push([item]);
    else current.push(item);
  }
  return groups;
}

/** A fixture item as a new one: id and time from the store when appended. */
function toDraft(item: ThreadItem): ItemDraft {
  const { id: _id, thread_id: _threadId, created_at: _createdAt, ...draft } = item;
  return draft as ItemDraft;
}
