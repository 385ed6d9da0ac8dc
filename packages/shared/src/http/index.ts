export * from './base-app.js';
export * from './error-handler.js';
export * from './finish-app.js';
export * from './graceful-server.js';
export * from './json-body.js';
export * from './origin.js';
export * from './rate-limit.js';
export * from './request-context.js';
