import { describe, expect, it } from 'vitest';
import { directionOf, labelsFor } from '../src/dev-chatkit/element-labels.js';
import { nextRevealLength, textRuns } from '../src/dev-chatkit/element-text.js';

const ltrParts = (text: string) =>
  textRuns(text)
    .filter((run) => run.ltr)
    .map((run) => run.text);

describe('left-to-right runs in a chat message', () => {
  it.each([
    ['اتصل بي على 408-555-0166', ['408-555-0166']],
    ['رقمي (408) 555-0142 شكرًا', ['(408) 555-0142']],
    ['سنتصل بك على الرقم +14085550166.', ['+14085550166']],
    ['llámeme al 408.555.0199 por favor', ['408.555.0199']],
    ['بريدي maryam@example.com', ['maryam@example.com']],
    ['راجع https://shop.example/hours?day=sat، شكرًا', ['https://shop.example/hours?day=sat']],
    ['(see https://shop.example/faq).', ['https://shop.example/faq']],
    ['سيارتي هوندا سيفيك 2018', []],
    ['رقمي ٤٠٨-٥٥٥-٠١٦٦', []],
    ['', []],
  ])('when the message is %j, then the runs kept left to right are %j', (text, expected) => {
    expect(ltrParts(text)).toEqual(expected);
  });

  it('when a message is split into runs, then nothing is lost or reordered', () => {
    const text = 'اتصل بي على 408-555-0166 أو maryam@example.com غدًا';
    expect(
      textRuns(text)
        .map((run) => run.text)
        .join(''),
    ).toBe(text);
  });
});

describe('revealing streamed text', () => {
  it.each([
    [0, 400, 20],
    [0, 30, 2],
    [380, 400, 382],
    [399, 400, 400],
    [400, 400, 400],
  ])('when %i characters of %i show, then the next frame shows %i', (shown, length, expected) => {
    expect(nextRevealLength(shown, 'x'.repeat(length))).toBe(expected);
  });

  it('when the next step would end inside a surrogate pair, then it takes the whole character', () => {
    const target = `ab${'😀'}cd`;
    expect(nextRevealLength(1, target)).toBe(4);
  });

  it('when a 600-character answer arrives at once, then it paints over many frames and ends whole', () => {
    const target = 'x'.repeat(600);
    const frames: number[] = [];
    for (let shown = 0; shown < target.length; shown = nextRevealLength(shown, target)) frames.push(shown);
    expect(frames.length).toBeGreaterThan(30);
    expect(frames.length).toBeLessThan(120);
  });
});

describe("the element's words", () => {
  it.each([
    ['es', 'Cerrar', 'ltr'],
    ['es-419', 'Cerrar', 'ltr'],
    ['ar', 'إغلاق', 'rtl'],
    ['zh-CN', '关闭', 'ltr'],
    ['vi', 'Đóng', 'ltr'],
    ['he', 'Close', 'rtl'],
    ['de-DE', 'Close', 'ltr'],
  ])('when ChatKit runs in %s, then the close button says %s and the text runs %s', (locale, close, direction) => {
    expect(labelsFor(locale).close).toBe(close);
    expect(directionOf(locale)).toBe(direction);
  });
});
