import { Firestore } from '@google-cloud/firestore';
import type { ProvidedFirestore } from '../test-env/provided.js';

/** A Firestore client on the test-env's local Firestore, as an owner (rules bypassed). */
export function localFirestoreClient(info: Pick<ProvidedFirestore, 'projectId' | 'hostPort'>): Firestore {
  return new Firestore({
    projectId: info.projectId,
    host: info.hostPort,
    ssl: false,
    customHeaders: { Authorization: 'Bearer owner' },
    // Without it google-auth-library looks for credentials and probes the GCE metadata server.
    universeDomain: 'googleapis.com',
    ignoreUndefinedProperties: true,
  });
}
