export * from './profile.js';
export * from './business-hours.js';
