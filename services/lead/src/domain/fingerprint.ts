import { createHash } from 'node:crypto';
import type { Transcript } from './transcript.js';

/** Identifies a transcript's content: the same messages give the same fingerprint. */
export function transcriptFingerprint(transcript: Transcript): string {
  const hash = createHash('sha256');
  for (const message of transcript.messages) {
    hash.update(`${message.id}\u0000${message.role}\u0000${message.text}\u0000${message.attachments.length}\u0001`);
  }
  return hash.digest('base64url');
}
