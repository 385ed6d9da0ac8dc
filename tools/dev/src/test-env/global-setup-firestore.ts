/** Vitest globalSetup with Firestore only. */
import { createGlobalSetup } from './global-setup.js';

export default createGlobalSetup({ firestore: true });
