export * from './resolve-locale.js';
