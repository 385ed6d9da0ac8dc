export * from './logger.js';
export * from './trace.js';
