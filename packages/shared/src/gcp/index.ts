export * from './clients.js';
export * from './deadline.js';
