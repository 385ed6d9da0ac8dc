/**
 * Text rules of the development ChatKit element, kept free of the DOM so tests can table them:
 * which runs of a message read left to right whatever the page's direction, and how fast
 * streamed text is revealed.
 */

/**
 * Runs that must keep their left-to-right order inside right-to-left text: URLs (without the
 * sentence's closing punctuation, Arabic included), e-mail addresses and phone numbers (ASCII digits, at least seven characters from the first digit to
 * the last; Arabic-Indic digits are right-to-left text and stay as they are).
 */
const LTR_RUN = /https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\u060c\u061b\u061f\u06d4]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+?\(?\d[\d ().\u00a0-]{5,}\d/g;

export interface TextRun {
  text: string;
  /** Left to right, isolated from the text around it. */
  ltr: boolean;
}

export function textRuns(text: string): TextRun[] {
  const runs: TextRun[] = [];
  let last = 0;
  for (const match of text.matchAll(LTR_RUN)) {
    if (match.index > last) runs.push({ text: text.slice(last, match.index), ltr: false });
    runs.push({ text: match[0], ltr: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) runs.push({ text: text.slice(last), ltr: false });
  return runs;
}

/** Characters revealed per frame: at least this many, and fast enough to catch up in about 20 frames. */
const MIN_CHARS_PER_FRAME = 2;
const CATCH_UP_FRAMES = 20;

/**
 * How much of `target` to show in the next frame when `shown` characters are on screen: the
 * backlog shrinks by a twentieth per frame (at least two characters), so text arriving in one
 * burst still paints progressively and a long reply never lags far behind the stream. Never
 * splits a surrogate pair.
 */
export function nextRevealLength(shown: number, target: string): number {
  const backlog = target.length - shown;
  if (backlog <= 0) return target.length;
  let next = shown + Math.max(MIN_CHARS_PER_FRAME, Math.ceil(backlog / CATCH_UP_FRAMES));
  if (next < target.length) {
    const code = target.charCodeAt(next - 1);
    if (code >= 0xd800 && code <= 0xdbff) next += 1;
  }
  return Math.min(next, target.length);
}
