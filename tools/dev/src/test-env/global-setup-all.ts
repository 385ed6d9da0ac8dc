/** Vitest globalSetup with every stand-in: Firestore, SES, cloud emulator, OpenAI stand-in. */
import { createGlobalSetup } from './global-setup.js';

export default createGlobalSetup({ firestore: true, ses: true, cloud: true, openai: true });
