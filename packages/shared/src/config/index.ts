export * from './common-env.js';
export * from './parse-config.js';
export * from './run-main.js';
export * from './start-service.js';
