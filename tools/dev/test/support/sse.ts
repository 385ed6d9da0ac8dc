/** Reading a server-sent-events body the way a strict client would, for tests of the OpenAI stand-in. */

export interface SseFrame {
  /** The `event:` field, or null when the frame had none. */
  event: string | null;
  /** The `data:` lines, joined with `\n`. */
  data: string;
  /** The frame exactly as received (without the blank line that ends it). */
  raw: string;
}

/** Splits a complete SSE body into frames; throws on a truncated last frame or an unknown field. */
export function parseSse(body: string): SseFrame[] {
  if (body !== '' && !body.endsWith('\n\n')) throw new Error(`SSE body does not end with a blank line: ${JSON.stringify(body.slice(-80))}`);
  const frames: SseFrame[] = [];
  for (const raw of body.split('\n\n')) {
    if (raw === '') continue;
    let event: string | null = null;
    const data: string[] = [];
    for (const line of raw.split('\n')) {
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field !== '') throw new Error(`unexpected SSE field '${field}' in ${JSON.stringify(raw)}`);
    }
    frames.push({ event, data: data.join('\n'), raw });
  }
  return frames;
}

/** A frame's JSON payload with the fields every Responses stream event has. */
export type SseEvent = { type: string; sequence_number: number } & Record<string, unknown>;

export function sseEvents(body: string): SseEvent[] {
  return parseSse(body).map((frame) => JSON.parse(frame.data) as SseEvent);
}
