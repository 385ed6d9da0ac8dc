import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { FirestoreThreadStore } from '@lead-intake/shared';
import { assistantMessage, chatThread, seedThread, userMessage, type ItemDraft } from '@lead-intake/dev-tools/fixtures/index';
import { useProvided } from '@lead-intake/dev-tools/test-env/provided';
import { localFirestoreClient } from '@lead-intake/dev-tools/testing/firestore-client';
import { ThreadStoreReader } from '../src/adapters/thread-store-reader.js';
import { PermanentError, ThreadNotFoundError, TransientError } from '../src/domain/errors.js';
import { failingFirestore } from './support/fakes.js';

const db = localFirestoreClient(useProvided('firestore'));
const store = new FirestoreThreadStore(db, { collection: `chat_${randomUUID().slice(0, 8)}`, retentionMs: 86_400_000 });
const reader = new ThreadStoreReader(store);
afterAll(async () => {
  await db.terminate();
});

describe('ThreadStoreReader on the Firestore thread store', () => {
  it('when the thread exists, then exists is true and the transcript has every item, oldest first, across pages', async () => {
    const drafts: ItemDraft[] = Array.from({ length: 130 }, (_, i) =>
      i % 2 === 0 ? userMessage(`customer line ${i}`) : assistantMessage(`assistant line ${i}`),
    );
    const id = `cthr_reader_${randomUUID().slice(0, 8)}`;
    await seedThread(store, chatThread(id, drafts, { title: 'Long one', stepSeconds: 1 }), { owner: 'anon_reader_owner' });

    expect(await reader.version(id)).toBe(65);
    const transcript = await reader.fetchTranscript(id);
    expect(transcript.messages).toHaveLength(130);
    expect(transcript.messages.map((m) => m.text)).toEqual(drafts.map((_, i) => `${i % 2 === 0 ? 'customer' : 'assistant'} line ${i}`));
    expect(transcript).toMatchObject({ threadId: id, title: 'Long one', user: 'anon_reader_owner' });
  });

  it('when the thread does not exist, then its version is null and fetchTranscript throws ThreadNotFoundError (permanent)', async () => {
    expect(await reader.version('cthr_reader_nobody')).toBeNull();
    const error = await reader.fetchTranscript('cthr_reader_nobody').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThreadNotFoundError);
    expect(error).toBeInstanceOf(PermanentError);
  });

  it.each([
    [14, 'UNAVAILABLE'],
    [4, 'DEADLINE_EXCEEDED'],
    [8, 'RESOURCE_EXHAUSTED'],
    [10, 'ABORTED'],
    [13, 'INTERNAL'],
  ])('when Firestore fails with gRPC %i (%s), then ThreadStoreUnavailable surfaces as a TransientError (503, task retry)', async (code) => {
    const failing = new ThreadStoreReader(new FirestoreThreadStore(failingFirestore(code), { retentionMs: 1 }));
    await expect(failing.version('cthr_x')).rejects.toBeInstanceOf(TransientError);
    await expect(failing.fetchTranscript('cthr_x')).rejects.toBeInstanceOf(TransientError);
  });

  it.each([
    [3, 'INVALID_ARGUMENT'],
    [7, 'PERMISSION_DENIED'],
  ])('when Firestore fails with gRPC %i (%s), then it is not disguised as transient', async (code) => {
    const failing = new ThreadStoreReader(new FirestoreThreadStore(failingFirestore(code), { retentionMs: 1 }));
    const error = await failing.fetchTranscript('cthr_x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect(error).not.toBeInstanceOf(TransientError);
  });
});
