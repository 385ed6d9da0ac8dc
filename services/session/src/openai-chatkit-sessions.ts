import OpenAI from 'openai';
import { z } from 'zod';
import { AppError } from '@lead-intake/shared';
import type { ChatKitSessionsPort, MintedSession, NewChatKitSession } from './chatkit-sessions-port.js';

const sessionShape = z.object({
  client_secret: z.string().min(1),
  expires_at: z.number().int().positive(),
});

/** Adapter: `openai.beta.chatkit.sessions.create` through the official SDK. */
export class OpenAIChatKitSessions implements ChatKitSessionsPort {
  constructor(private readonly openai: OpenAI) {}

  async create(session: NewChatKitSession): Promise<MintedSession> {
    let response: unknown;
    try {
      response = await this.openai.beta.chatkit.sessions.create({
        user: session.user,
        workflow: { id: session.workflowId, state_variables: session.stateVariables },
      });
    } catch (error) {
      throw upstreamError(error);
    }
    const parsed = sessionShape.safeParse(response);
    if (!parsed.success) {
      throw new AppError('upstream_error', 'The chat service answered unexpectedly. Please try again.', {
        cause: { message: 'ChatKit session response has no usable client_secret / expires_at' },
      });
    }
    return { clientSecret: parsed.data.client_secret, expiresAt: parsed.data.expires_at };
  }
}

/** Keeps what helps an operator (status, request id, error type) and drops upstream text. */
export function upstreamError(error: unknown): AppError {
  const summary =
    error instanceof OpenAI.APIError
      ? { name: error.constructor.name, status: error.status, requestId: error.requestID, type: error.type, code: error.code }
      : { name: error instanceof Error ? error.constructor.name : typeof error };
  return new AppError('upstream_error', 'The chat service is not answering right now. Please try again.', {
    cause: { upstream: 'openai', ...summary },
  });
}
