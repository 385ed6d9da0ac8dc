/**
 * What the test-env globalSetup hands to tests through Vitest's `provide`/`inject`.
 *
 * Each key is present only when that stand-in was started (see `createGlobalSetup`), hence the
 * optional properties; `useProvided(key)` returns the value or fails with a clear message.
 * A test file (or a setup file) that uses `inject` should import this module, so the
 * `ProvidedContext` augmentation below is part of its TypeScript program.
 */
import { inject } from 'vitest';
import type { LocalFirestore } from '../firestore/start-firestore.js';

/** The started Firestore, minus its methods (provided values must be serializable). */
export type ProvidedFirestore = Pick<
  LocalFirestore,
  'kind' | 'host' | 'port' | 'hostPort' | 'projectId' | 'isolatesTransactions' | 'adminUrl'
> & {
  /** Why the Firebase emulator was not used; null when it was. */
  reason: string | null;
};

export interface ProvidedSes {
  /** `SES_ENDPOINT` value, e.g. `http://127.0.0.1:41234`. */
  endpoint: string;
  viewerUrl: string;
}

export interface ProvidedCloudEmulator {
  /** gRPC `host:port` for Cloud Tasks and Secret Manager (`CLOUD_TASKS_EMULATOR_HOST`, `SECRET_MANAGER_EMULATOR_HOST`). */
  grpcHostPort: string;
  grpcHost: string;
  grpcPort: number;
  /** Inspection pages and OIDC certs. */
  httpUrl: string;
  projectId: string;
}

export interface ProvidedOpenAI {
  url: string;
  /** `OPENAI_BASE_URL` value (`url + '/v1'`). */
  baseURL: string;
}

export interface TestEnvProvided {
  firestore?: ProvidedFirestore;
  ses?: ProvidedSes;
  cloud?: ProvidedCloudEmulator;
  openai?: ProvidedOpenAI;
}

declare module 'vitest' {
  export interface ProvidedContext {
    firestore?: ProvidedFirestore;
    ses?: ProvidedSes;
    cloud?: ProvidedCloudEmulator;
    openai?: ProvidedOpenAI;
  }
}

/** `inject(key)`, failing with a hint when the workspace's globalSetup did not start it. */
export function useProvided<K extends keyof TestEnvProvided>(key: K): NonNullable<TestEnvProvided[K]> {
  const value = inject(key) as TestEnvProvided[K];
  if (value === undefined || value === null) {
    throw new Error(
      `test-env: "${key}" was not provided. Add a globalSetup from @lead-intake/dev-tools/test-env/* ` +
        `that starts it to this workspace's vitest config.`,
    );
  }
  return value as NonNullable<TestEnvProvided[K]>;
}
