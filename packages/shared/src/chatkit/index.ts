// Browser-safe (zod only): the ChatKit server protocol shapes, shared by the session service,
// the lead service and the development ChatKit element.
export * from './events.js';
export * from './items.js';
export * from './requests.js';
