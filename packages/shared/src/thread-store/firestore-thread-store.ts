import { randomBytes } from 'node:crypto';
import {
  FieldValue,
  Timestamp,
  type CollectionReference,
  type DocumentReference,
  type Firestore,
  type Query,
  type WriteBatch,
} from '@google-cloud/firestore';
import { threadItemSchema, type Page, type ThreadItem } from '../chatkit/items.js';
import { GrpcStatus, cloudCall, grpcCode } from '../gcp/clients.js';
import { DEFAULT_DEADLINE_MS } from '../gcp/deadline.js';
import { sortKey } from './sort-key.js';
import { ThreadStoreNotFound, type PageQuery, type StoredThread, type ThreadStore } from './thread-store.js';

export interface FirestoreThreadStoreOptions {
  /** Default `chatThreads`; items live in its `items` subcollection. */
  collection?: string;
  /** Threads and items expire (Firestore TTL on `expiresAt`) this long after their last write. */
  retentionMs: number;
  /** Each Firestore call gives up after this long (TransientError); default 5 s. */
  deadlineMs?: number;
  now?: () => number;
}

interface ThreadDoc {
  owner: string;
  title: string | null;
  status: StoredThread['status'];
  metadata: Record<string, unknown>;
  createdAt: string;
  sortKey: string;
  createdAtMs: number;
  userMessageCount: number;
  updatedAt: Timestamp;
  expiresAt: Timestamp;
}

interface ItemDoc {
  sortKey: string;
  type: string;
  /** The item exactly as streamed, as JSON (no Firestore type conversion on the way back). */
  json: string;
  expiresAt: Timestamp;
}

/** A claimed place under a cap (decision 0023): its id is the place, so two claims of it cannot both succeed. */
interface SlotDoc {
  /** The thread (daily cap) or item (message cap) that took the place. */
  takenBy: string;
  /** The daily cap's UTC day, queried to count the places taken. */
  day?: string;
  expiresAt: Timestamp;
}

const newId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('base64url')}`;

/** Daily-cap places outlive their day by a day; Firestore's TTL removes them after that. */
const DAY_SLOT_RETENTION_MS = 2 * 86_400_000;

/**
 * Adapter: `chatThreads/{threadId}` holds the metadata, `chatThreads/{threadId}/items/{itemId}`
 * the items ordered by `sortKey`. Paging cursors are ids; the page query starts after the
 * cursor's sort key. Indexes: `chatThreads` (owner, sortKey) both directions.
 */
export class FirestoreThreadStore implements ThreadStore {
  private readonly threads: CollectionReference;
  private readonly now: () => number;

  constructor(
    db: Firestore,
    private readonly options: FirestoreThreadStoreOptions,
  ) {
    this.threads = db.collection(options.collection ?? 'chatThreads');
    this.now = options.now ?? Date.now;
  }

  /** A Firestore call within the deadline: outages become TransientError, a missing document ThreadStoreNotFound. */
  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await cloudCall('Firestore', this.options.deadlineMs ?? DEFAULT_DEADLINE_MS, operation);
    } catch (error) {
      if (grpcCode(error) === GrpcStatus.NOT_FOUND) throw new ThreadStoreNotFound('thread or item');
      throw error;
    }
  }

  generateThreadId(): string {
    return newId('cthr');
  }

  generateItemId(): string {
    return newId('cthi');
  }

  private threadRef(threadId: string): DocumentReference {
    return this.threads.doc(threadId);
  }

  private items(threadId: string): CollectionReference {
    return this.threadRef(threadId).collection('items');
  }

  /**
   * Places under the caps, in `slots` subcollections (one TTL policy): a thread's message places
   * under the thread, a visitor's daily places under `visitor-<id>`, a document id in the threads
   * collection that never exists itself (no query on threads sees it; thread ids start `cthr_`).
   */
  private messageSlot(threadId: string, place: number): DocumentReference {
    return this.threadRef(threadId)
      .collection('slots')
      .doc(`message-${String(place).padStart(5, '0')}`);
  }

  private daySlots(owner: string): CollectionReference {
    return this.threads.doc(`visitor-${owner}`).collection('slots');
  }

  private expiry(): Timestamp {
    return Timestamp.fromMillis(this.now() + this.options.retentionMs);
  }

  async createThread(thread: StoredThread, firstItem?: ThreadItem): Promise<void> {
    const doc = this.threadDoc(thread, firstItem);
    if (!firstItem) {
      await this.guard(() => this.threadRef(thread.id).create(doc));
      return;
    }
    const writes = this.threads.firestore.batch();
    writes.create(this.threadRef(thread.id), doc);
    writes.create(this.items(thread.id).doc(firstItem.id), this.itemDoc(firstItem));
    await this.guard(() => writes.commit());
  }

  async threadsStartedOn(owner: string, day: string): Promise<number> {
    const snapshot = await this.guard(() => this.daySlots(owner).where('day', '==', day).select().get());
    return snapshot.size;
  }

  async createThreadWithinDailyCap(thread: StoredThread, firstItem: ThreadItem, cap: { day: string; max: number }): Promise<boolean> {
    const doc = this.threadDoc(thread, firstItem);
    const item = this.itemDoc(firstItem);
    const daySlot: SlotDoc = { takenBy: thread.id, day: cap.day, expiresAt: Timestamp.fromMillis(this.now() + DAY_SLOT_RETENTION_MS) };
    const messageSlot: SlotDoc = { takenBy: firstItem.id, expiresAt: item.expiresAt };
    return this.claim((await this.threadsStartedOn(thread.owner, cap.day)) + 1, cap.max, (place) => {
      const writes = this.threads.firestore.batch();
      // The place first: if it is taken, the commit fails before anything else is written.
      writes.create(this.daySlots(thread.owner).doc(`threads-${cap.day}-${String(place).padStart(4, '0')}`), daySlot);
      writes.create(this.threadRef(thread.id), doc);
      writes.create(this.messageSlot(thread.id, 1), messageSlot);
      writes.create(this.items(thread.id).doc(firstItem.id), item);
      return writes;
    });
  }

  async addUserMessageWithinCap(thread: StoredThread, item: ThreadItem, max: number): Promise<boolean> {
    const doc = this.itemDoc(item);
    const slot: SlotDoc = { takenBy: item.id, expiresAt: doc.expiresAt };
    return this.claim(thread.userMessageCount + 1, max, (place) => {
      const writes = this.threads.firestore.batch();
      writes.create(this.messageSlot(thread.id, place), slot);
      writes.create(this.items(thread.id).doc(item.id), doc);
      writes.update(this.threadRef(thread.id), {
        updatedAt: Timestamp.fromMillis(this.now()),
        expiresAt: doc.expiresAt,
        userMessageCount: FieldValue.increment(1),
      });
      return writes;
    });
  }

  /**
   * Commits `write(place)` for the first free place from `first` to `max`. A place is a document
   * created with `create()` (exists: false) as the batch's first write: of simultaneous claims of
   * one place exactly one commits (Firestore checks preconditions atomically per commit), the
   * others move to the next place. Transactions would do the same in production, but the local
   * stand-in does not isolate them; a create precondition holds on both.
   */
  private async claim(first: number, max: number, write: (place: number) => WriteBatch): Promise<boolean> {
    for (let place = first; place <= max; place += 1) {
      try {
        await this.guard(() => write(place).commit());
        return true;
      } catch (error) {
        if (grpcCode(error) !== GrpcStatus.ALREADY_EXISTS) throw error;
      }
    }
    return false;
  }

  private threadDoc(thread: StoredThread, firstItem?: ThreadItem): ThreadDoc {
    const createdAtMs = Date.parse(thread.created_at);
    return {
      owner: thread.owner,
      title: thread.title ?? null,
      status: thread.status,
      metadata: thread.metadata ?? {},
      createdAt: thread.created_at,
      createdAtMs,
      sortKey: sortKey(createdAtMs),
      userMessageCount: thread.userMessageCount + (firstItem?.type === 'user_message' ? 1 : 0),
      updatedAt: Timestamp.fromMillis(this.now()),
      expiresAt: this.expiry(),
    };
  }

  private itemDoc(item: ThreadItem): ItemDoc {
    return { sortKey: sortKey(Date.parse(item.created_at)), type: item.type, json: JSON.stringify(item), expiresAt: this.expiry() };
  }

  async loadThread(threadId: string): Promise<StoredThread | null> {
    const snapshot = await this.guard(() => this.threadRef(threadId).get());
    return snapshot.exists ? toThread(snapshot.id, snapshot.data() as ThreadDoc) : null;
  }

  async updateThread(thread: StoredThread): Promise<void> {
    await this.guard(() =>
      this.threadRef(thread.id).update({
        title: thread.title ?? null,
        status: thread.status,
        metadata: thread.metadata ?? {},
        updatedAt: Timestamp.fromMillis(this.now()),
        expiresAt: this.expiry(),
      }),
    );
  }

  async deleteThread(threadId: string): Promise<void> {
    for (const collection of [this.items(threadId), this.threadRef(threadId).collection('slots')]) {
      for (;;) {
        const batch = await this.guard(() => collection.limit(200).get());
        if (batch.empty) break;
        const writes = collection.firestore.batch();
        for (const doc of batch.docs) writes.delete(doc.ref);
        await this.guard(() => writes.commit());
      }
    }
    await this.guard(() => this.threadRef(threadId).delete());
  }

  async listThreads(owner: string, query: PageQuery): Promise<Page<StoredThread>> {
    let q: Query = this.threads.where('owner', '==', owner);
    if (query.after) {
      const cursor = await this.guard(() => this.threadRef(query.after as string).get());
      const data = cursor.data() as ThreadDoc | undefined;
      if (!data || data.owner !== owner) throw new ThreadStoreNotFound(`thread ${query.after}`);
      q = q.where('sortKey', query.order === 'asc' ? '>' : '<', data.sortKey);
    }
    const snapshot = await this.guard(() =>
      q
        .orderBy('sortKey', query.order)
        .limit(query.limit + 1)
        .get(),
    );
    const threads = snapshot.docs.map((doc) => toThread(doc.id, doc.data() as ThreadDoc));
    return toPage(threads, query.limit);
  }

  async addItem(threadId: string, item: ThreadItem): Promise<void> {
    const doc = this.itemDoc(item);
    const writes = this.threads.firestore.batch();
    writes.create(this.items(threadId).doc(item.id), doc);
    writes.update(this.threadRef(threadId), {
      updatedAt: Timestamp.fromMillis(this.now()),
      expiresAt: doc.expiresAt,
      ...(item.type === 'user_message' ? { userMessageCount: FieldValue.increment(1) } : {}),
    });
    try {
      await this.guard(() => writes.commit());
    } catch (error) {
      // A retry of a commit that landed (its answer was lost): the item, and the counter with it, is there.
      if (grpcCode(error) !== GrpcStatus.ALREADY_EXISTS) throw error;
    }
  }

  async saveItem(threadId: string, item: ThreadItem): Promise<void> {
    await this.guard(() =>
      this.items(threadId)
        .doc(item.id)
        .update({ type: item.type, json: JSON.stringify(item), expiresAt: this.expiry() }),
    );
  }

  async loadItem(threadId: string, itemId: string): Promise<ThreadItem | null> {
    const snapshot = await this.guard(() => this.items(threadId).doc(itemId).get());
    return snapshot.exists ? toItem(snapshot.data() as ItemDoc) : null;
  }

  async deleteItem(threadId: string, itemId: string): Promise<void> {
    await this.guard(() => this.items(threadId).doc(itemId).delete());
  }

  async listItems(threadId: string, query: PageQuery): Promise<Page<ThreadItem>> {
    const items = this.items(threadId);
    let q: Query = items;
    if (query.after) {
      const cursor = await this.guard(() => items.doc(query.after as string).get());
      if (!cursor.exists) throw new ThreadStoreNotFound(`item ${query.after}`);
      q = q.where('sortKey', query.order === 'asc' ? '>' : '<', (cursor.data() as ItemDoc).sortKey);
    }
    const snapshot = await this.guard(() =>
      q
        .orderBy('sortKey', query.order)
        .limit(query.limit + 1)
        .get(),
    );
    return toPage(
      snapshot.docs.map((doc) => toItem(doc.data() as ItemDoc)),
      query.limit,
    );
  }
}

function toThread(id: string, doc: ThreadDoc): StoredThread {
  return {
    id,
    title: doc.title,
    created_at: doc.createdAt,
    status: doc.status,
    metadata: doc.metadata,
    owner: doc.owner,
    userMessageCount: doc.userMessageCount,
  };
}

function toItem(doc: ItemDoc): ThreadItem {
  return threadItemSchema.parse(JSON.parse(doc.json));
}

function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const hasMore = rows.length > limit;
  const data = hasMore ? rows.slice(0, limit) : rows;
  return { data, has_more: hasMore, after: hasMore ? (data[data.length - 1]?.id ?? null) : null };
}
