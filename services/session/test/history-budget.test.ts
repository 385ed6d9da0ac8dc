import { describe, expect, it } from 'vitest';
import { fitHistory } from '../src/domain/history-budget.js';
import type { ConversationMessage } from '../src/ports.js';

const user = (text: string): ConversationMessage => ({ role: 'user', text });
const assistant = (text: string): ConversationMessage => ({ role: 'assistant', text });

describe('fitHistory', () => {
  it.each([
    ['everything fits', [user('aaaa'), assistant('bbbb'), user('cccc')], 12, ['aaaa', 'bbbb', 'cccc'], 0],
    ['the oldest goes first', [user('aaaa'), assistant('bbbb'), user('cccc')], 11, ['cccc'], 2],
    [
      'an answer whose question went is dropped too',
      [user('aaaaaa'), assistant('bb'), user('cc'), assistant('dd'), user('ee')],
      8,
      ['cc', 'dd', 'ee'],
      2,
    ],
    ['the newest message alone may exceed the budget', [user('aaaa'), user('x'.repeat(50))], 10, ['x'.repeat(50)], 1],
    ['an empty history', [], 10, [], 0],
    ['a budget met exactly', [user('aaaa'), assistant('bbbb')], 8, ['aaaa', 'bbbb'], 0],
  ])('when %s, then the kept texts and the dropped count are right', (_case, history, budget, kept, dropped) => {
    const fitted = fitHistory(history, budget);
    expect(fitted.messages.map((m) => m.text)).toEqual(kept);
    expect(fitted.dropped).toBe(dropped);
    expect(fitted.chars).toBe(kept.join('').length);
  });
});
