/** One message of the conversation as the agent sees it. */
export interface ConversationMessage {
  role: 'user' | 'assistant';
  text: string;
}

/** What the agent is told at every turn, computed server-side (never trusted from the browser). */
export type TurnContext = Record<string, string | number | boolean>;

export interface AgentTurn {
  history: ConversationMessage[];
  context: TurnContext;
  /** Aborted when the visitor disconnects; the agent stops generating. */
  signal: AbortSignal;
}

/** Port: the assistant that answers the customer (the Agents SDK on the OpenAI API). */
export interface AgentPort {
  /** Streams the reply as text deltas; throws `AgentFailure` when the model cannot answer. */
  streamReply(turn: AgentTurn): AsyncIterable<string>;
}

export type AgentFailureKind = 'rate_limited' | 'timeout' | 'upstream' | 'refused';

/** Why the agent could not answer; the message to the visitor depends on it, never upstream text. */
export class AgentFailure extends Error {
  constructor(
    readonly kind: AgentFailureKind,
    options?: { cause?: unknown },
  ) {
    super(`agent failed: ${kind}`, options);
    this.name = 'AgentFailure';
  }
}

export interface LeadTurnSignal {
  threadId: string;
  /** The item that ended the turn (dedupes a re-sent signal). */
  turnItemId: string;
  user: string;
  locale: string;
  pageUrl: string | null;
}

/** Port: tells the lead pipeline a turn ended (`auto` trigger), without waiting for it. */
export interface LeadTriggerPort {
  turnCompleted(signal: LeadTurnSignal): Promise<void>;
}
