import OpenAI from 'openai';
import { Agent, OpenAIResponsesModel, run, type AgentInputItem } from '@openai/agents';
import { AgentFailure, type Agent as AgentPort, type AgentTurn, type ConversationMessage } from '../ports.js';
import { IdleTimeout, withIdleTimeout } from './idle-timeout.js';
import { shopInstructions } from '../domain/instructions.js';

export interface AgentSettings {
  model: string;
  temperature: number;
  maxOutputTokens: number;
  /**
   * Longest quiet time between the model's stream events: the SDK's timeout ends with the
   * response headers, and a stream that stalls after them would otherwise never end.
   */
  streamIdleTimeoutMs: number;
}

/**
 * Adapter: the shop assistant on the OpenAI Agents SDK (`@openai/agents`), streaming through the
 * Responses API of the given client (its `baseURL` is the local stand-in in development).
 * Responses are not stored at OpenAI: the conversation lives in our thread store.
 */
export class AgentsSdkAgent implements AgentPort {
  private readonly model: OpenAIResponsesModel;
  /** Agents by instructions: these change once a minute (the shop clock) and per locale and page. */
  private readonly agents = new Map<string, Agent>();

  constructor(
    client: OpenAI,
    private readonly settings: AgentSettings,
  ) {
    this.model = new OpenAIResponsesModel(client, settings.model);
  }

  async *streamReply(turn: AgentTurn): AsyncIterable<string> {
    const agent = this.agentFor(shopInstructions(turn.context));
    const stalled = new AbortController();
    try {
      const signal = AbortSignal.any([turn.signal, stalled.signal]);
      const result = await run(agent, toAgentInput(turn.history), { stream: true, signal, maxTurns: 1 });
      for await (const event of withIdleTimeout(result, this.settings.streamIdleTimeoutMs, () => stalled.abort())) {
        if (event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta' && event.data.delta) {
          yield event.data.delta;
        }
      }
      await result.completed;
      if (result.error) throw result.error;
      if (stalled.signal.aborted) throw new IdleTimeout(this.settings.streamIdleTimeoutMs);
    } catch (error) {
      if (turn.signal.aborted) return;
      if (stalled.signal.aborted)
        throw new AgentFailure('timeout', { cause: { name: 'IdleTimeout', idleMs: this.settings.streamIdleTimeoutMs } });
      throw classify(error);
    }
  }

  private agentFor(instructions: string): Agent {
    let agent = this.agents.get(instructions);
    if (agent) return agent;
    if (this.agents.size >= MAX_CACHED_AGENTS) this.agents.clear();
    agent = new Agent({
      name: 'Shop intake assistant',
      instructions,
      model: this.model,
      modelSettings: { temperature: this.settings.temperature, maxTokens: this.settings.maxOutputTokens, store: false },
    });
    this.agents.set(instructions, agent);
    return agent;
  }
}

const MAX_CACHED_AGENTS = 64;

function toAgentInput(history: readonly ConversationMessage[]): AgentInputItem[] {
  return history.map((message): AgentInputItem =>
    message.role === 'user'
      ? { role: 'user', content: message.text }
      : { role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: message.text }] },
  );
}

/** Status and type only: upstream text never reaches the visitor or the logs. */
function classify(error: unknown): AgentFailure {
  if (error instanceof AgentFailure) return error;
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new AgentFailure('timeout', { cause: summary(error) });
  if (error instanceof OpenAI.APIError) {
    if (error.status === 429) return new AgentFailure('rate_limited', { cause: summary(error) });
    if (error.status === 400 || error.status === 403) return new AgentFailure('refused', { cause: summary(error) });
  }
  return new AgentFailure('upstream', { cause: summary(error) });
}

function summary(error: unknown): Record<string, unknown> {
  if (error instanceof OpenAI.APIError) {
    return { name: error.constructor.name, status: error.status, requestId: error.requestID, type: error.type, code: error.code };
  }
  return { name: error instanceof Error ? error.constructor.name : typeof error };
}
