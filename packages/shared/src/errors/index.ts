export * from './app-error.js';
export * from './retry.js';
export * from './transient-error.js';
