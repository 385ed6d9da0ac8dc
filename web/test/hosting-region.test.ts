import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { withRegion } from '../scripts/hosting-region.js';

const firebaseJson = await readFile(new URL('../../firebase.json', import.meta.url), 'utf8');

describe('firebase.json Cloud Run region', () => {
  it('when a region is given, then every run rewrite targets it and nothing else changes', () => {
    const updated = JSON.parse(withRegion(firebaseJson, 'europe-west1')) as {
      hosting: { rewrites: Array<{ source: string; run?: { region: string } }> };
    };
    const original = JSON.parse(firebaseJson) as typeof updated;
    expect(updated.hosting.rewrites.map((r) => r.run?.region)).toEqual(
      original.hosting.rewrites.map((r) => (r.run ? 'europe-west1' : undefined)),
    );
    expect(updated.hosting.rewrites.map((r) => r.source)).toEqual(original.hosting.rewrites.map((r) => r.source));
    expect({ ...updated, hosting: { ...updated.hosting, rewrites: [] } }).toEqual({
      ...original,
      hosting: { ...original.hosting, rewrites: [] },
    });
  });

  it.each(['', 'us west1', 'US-WEST1', 'us-west1; rm -rf /'])('when the region is %j, then it is refused', (region) => {
    expect(() => withRegion(firebaseJson, region)).toThrow(/not a Cloud Run region/);
  });
});
