export * from './config/index.js';
export * from './errors/index.js';
export * from './http/index.js';
export * from './logging/index.js';
export * from './secrets/index.js';
export * from './i18n/index.js';
export * from './shop/index.js';
export * from './thread-store/index.js';
