export type StateVariables = Record<string, string | number | boolean>;

export interface NewChatKitSession {
  user: string;
  workflowId: string;
  stateVariables: StateVariables;
}

export interface MintedSession {
  clientSecret: string;
  /** Epoch seconds. */
  expiresAt: number;
}

/** Port: the upstream that mints ChatKit sessions (OpenAI). */
export interface ChatKitSessionsPort {
  create(session: NewChatKitSession): Promise<MintedSession>;
}
