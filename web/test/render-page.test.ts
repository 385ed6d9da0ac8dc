import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from '../src/site/render-page.js';

describe('page rendering escapes what comes from the shop profile', () => {
  it.each([
    ['<b>Rosewood</b>', '&#60;b&#62;Rosewood&#60;/b&#62;'],
    [`Bob's "Best" & Co`, 'Bob&#39;s &#34;Best&#34; &#38; Co'],
  ])('when %j reaches HTML, then it is escaped', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it('when JSON with a closing script tag goes into a JSON script block, then it cannot end the block and parses back equal', () => {
    const value = { name: '</script><script>alert(1)</script>', note: '<!-- x --> & \u2028' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/<\/script|<!--|\u2028/i);
    expect(JSON.parse(text)).toEqual(value);
  });
});
