export * from './clients.js';
export * from './deadline.js';
export * from './http-task.js';
