/** A conversation as the shop reads it: customer and assistant turns, oldest first. */
export interface TranscriptAttachment {
  name: string;
  mimeType: string;
  /** A link the shop can open (ChatKit's preview URL), when there is one. */
  url: string | null;
  kind: 'image' | 'file';
}

export interface TranscriptMessage {
  id: string;
  role: 'customer' | 'assistant';
  text: string;
  /** Epoch seconds. */
  createdAt: number;
  attachments: TranscriptAttachment[];
}

export interface Transcript {
  threadId: string;
  title: string | null;
  /** The ChatKit `user` (anon_ id) the thread belongs to. */
  user: string | null;
  /** Epoch seconds. */
  createdAt: number;
  /**
   * The conversation's version: customer messages the thread has had (its `userMessageCount`, or
   * at least those read). Outcomes are recorded against it.
   */
  version: number;
  messages: TranscriptMessage[];
}

export const customerMessages = (transcript: Transcript): TranscriptMessage[] =>
  transcript.messages.filter((message) => message.role === 'customer');
