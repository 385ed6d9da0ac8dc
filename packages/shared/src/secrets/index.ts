export * from './secret-manager-source.js';
export * from './secret-source.js';
export * from './secret-store.js';
