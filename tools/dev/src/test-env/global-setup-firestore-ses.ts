/** Vitest globalSetup with Firestore and SES only. */
import { createGlobalSetup } from './global-setup.js';

export default createGlobalSetup({ firestore: true, ses: true });
