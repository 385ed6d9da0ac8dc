// Browser-safe: zod only. The web imports this entry point; keep server code out of it.
export * from './common.js';
export * from './errors.js';
export * from './lead.js';
export * from './lead-summary.js';
export * from './session.js';
