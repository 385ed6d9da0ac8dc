import { describe, expect, it } from 'vitest';
import { FirestoreLeadRecordStore } from '../src/adapters/firestore-lead-record-store.js';
import { TransientError } from '../src/domain/errors.js';
import { failingFirestore } from './support/fakes.js';
import { TEST_POLICY } from './support/lead-record-store.js';

const options = { collection: 'leads', policy: TEST_POLICY };

describe('FirestoreLeadRecordStore when Firestore fails', () => {
  it.each([
    [14, 'UNAVAILABLE'],
    [4, 'DEADLINE_EXCEEDED'],
    [8, 'RESOURCE_EXHAUSTED'],
    [10, 'ABORTED'],
    [13, 'INTERNAL'],
  ])('when the error is gRPC %i (%s), then it surfaces as a TransientError (503, Cloud Tasks retries)', async (code) => {
    const store = new FirestoreLeadRecordStore(failingFirestore(code), options);
    await expect(store.get('cthr_x')).rejects.toBeInstanceOf(TransientError);
    await expect(store.apply('cthr_x', { type: 'trigger', trigger: 'idle', version: 1, leaseId: 'l' })).rejects.toBeInstanceOf(
      TransientError,
    );
    await expect(
      store.apply('cthr_x', { type: 'sent', leaseId: 'l', messageId: 'm', uncertainty: null, nextLeaseId: 'n' }),
    ).rejects.toBeInstanceOf(TransientError);
  });

  it.each([
    [3, 'INVALID_ARGUMENT'],
    [7, 'PERMISSION_DENIED'],
  ])('when the error is gRPC %i (%s), then it is not disguised as transient', async (code) => {
    const store = new FirestoreLeadRecordStore(failingFirestore(code), options);
    const error = await store.get('cthr_x').catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(TransientError);
    expect((error as { code: number }).code).toBe(code);
  });
});
