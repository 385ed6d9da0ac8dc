import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashedTaskId } from '../src/gcp/index.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 40);

describe('hashedTaskId', () => {
  it('when task ids are hashed, then they are the names both services gave their tasks before (a deploy dedupes across versions)', () => {
    expect(hashedTaskId('auto', 'cthr_a', 'cthi_b')).toBe(`auto-${sha('cthr_a\u0000cthi_b')}`);
    expect(hashedTaskId('lead', 'cthr_a', 'lease-1')).toBe(`lead-${sha('cthr_a\u0000lease-1')}`);
    expect(hashedTaskId('safety', 'cthr_a', 'safety-net', '2')).toBe(`safety-${sha('cthr_a\u0000safety-net\u00002')}`);
    expect(hashedTaskId('sent', 'cthr_a', 'lease-1', 'sent')).toMatch(/^sent-[0-9a-f]{40}$/);
    expect(hashedTaskId('auto', 'cthr_a', 'cthi_b')).not.toBe(hashedTaskId('auto', 'cthr_a', 'cthi_c'));
  });
});
