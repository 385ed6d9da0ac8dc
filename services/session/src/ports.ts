/**
 * The session service's ports: one per external dependency, named for the role it plays (no
 * `Port` suffix); each adapter is named for its technology and that role (`AgentsSdkAgent`,
 * `CloudTasksLeadTrigger`, `JwtVisitorTokens`, `FirestoreThreadStore`). The thread store's port
 * is shared with the lead service (`@lead-intake/shared`). Decision 0025.
 */
export type { ThreadStore } from '@lead-intake/shared';

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
export interface Agent {
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
export interface LeadTrigger {
  turnCompleted(signal: LeadTurnSignal): Promise<void>;
}

/** What a visitor token proves: who the visitor is, and the page they chat from. */
export interface VisitorClaims {
  user: string;
  locale: string;
  pageUrl: string | null;
  /** Epoch seconds. */
  expiresAt: number;
}

/** What a visitor proof proves: this browser was given this identity. */
export interface VisitorProofClaims {
  user: string;
  /** Epoch seconds. */
  expiresAt: number;
  /** Signed by the key that signs now (false: an older key still listed, so a new proof is due). */
  currentKey: boolean;
}

/** Port: our own visitor tokens and identity proofs (signed JWTs), and the visitor ids' log hash. */
export interface VisitorTokens {
  issue(claims: Omit<VisitorClaims, 'expiresAt'>): Promise<{ token: string; expiresAt: number }>;
  /** The claims of a valid token, or null (missing, expired, forged, other audience, unknown key). */
  verify(token: string): Promise<VisitorClaims | null>;
  /** The long-lived proof of an identity the widget keeps and shows to mint again (never a bearer token). */
  issueProof(user: string): Promise<{ proof: string; expiresAt: number }>;
  /** The identity a valid proof proves, or null (expired, forged, a token, unknown key). */
  verifyProof(proof: string): Promise<VisitorProofClaims | null>;
  /** A keyed hash of a visitor id for the logs: stable per id, useless without the key. */
  logId(user: string): Promise<string>;
}
