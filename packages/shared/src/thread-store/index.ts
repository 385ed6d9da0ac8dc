export * from './firestore-thread-store.js';
export * from './thread-store.js';
