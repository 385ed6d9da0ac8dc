/**
 * Vitest globalSetup: starts, once per test run and on free ports, the local stand-ins a
 * workspace's tests need, hands their addresses to tests (`inject('firestore')`, … — see
 * provided.ts) and exports them as environment variables for the test workers and any child
 * process they spawn:
 *
 *   FIRESTORE_EMULATOR_HOST        host:port   (Firestore)
 *   SES_ENDPOINT                   http://…    (SES)
 *   CLOUD_TASKS_EMULATOR_HOST      host:port   (cloud emulator, gRPC)
 *   SECRET_MANAGER_EMULATOR_HOST   host:port   (cloud emulator, gRPC; same server)
 *   OPENAI_BASE_URL                http://…/v1 (OpenAI stand-in)
 *
 * Use a thin file per selection in a workspace's vitest config:
 *   test: { globalSetup: ['@lead-intake/dev-tools/test-env/global-setup-all'] }
 * or `export default createGlobalSetup({ firestore: true, ses: true })` in a file of your own.
 */
import type { TestProject } from 'vitest/node';
import { startFirestore, type LocalFirestore, type StartFirestoreOptions } from '../firestore/start-firestore.js';
import { startSes, type StartSesOptions } from '../ses/start-ses.js';
import { startCloudEmulator } from '../cloud-emulator/index.js';
import { startOpenAIStub } from '../openai-stub/server.js';
import { formatHostPort } from '../firestore/start-firestore.js';
import type { TestEnvProvided } from './provided.js';

export interface TestEnvSelection {
  firestore?: boolean | StartFirestoreOptions;
  ses?: boolean | StartSesOptions;
  cloud?: boolean;
  openai?: boolean;
}

/** The part of Vitest's TestProject a globalSetup uses (so it can also be driven by hand). */
export type GlobalSetupContext = Pick<TestProject, 'provide'>;

export type GlobalSetup = (context: GlobalSetupContext) => Promise<() => Promise<void>>;

/** Names of the environment variables the setup exports. */
export const TEST_ENV_VARIABLES = [
  'FIRESTORE_EMULATOR_HOST',
  'SES_ENDPOINT',
  'CLOUD_TASKS_EMULATOR_HOST',
  'SECRET_MANAGER_EMULATOR_HOST',
  'OPENAI_BASE_URL',
] as const;

export function createGlobalSetup(selection: TestEnvSelection): GlobalSetup {
  return async function setup({ provide }) {
    const closers: Array<() => Promise<void>> = [];
    const savedEnv = new Map<string, string | undefined>();
    const setEnv = (name: (typeof TEST_ENV_VARIABLES)[number], value: string): void => {
      if (!savedEnv.has(name)) savedEnv.set(name, process.env[name]);
      process.env[name] = value;
    };
    const give = <K extends keyof TestEnvProvided>(key: K, value: NonNullable<TestEnvProvided[K]>): void => {
      provide(key, value);
    };

    const teardown = async (): Promise<void> => {
      const results = await Promise.allSettled(closers.reverse().map((close) => close()));
      for (const [name, value] of savedEnv) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed) throw failed.reason;
    };

    try {
      if (selection.firestore) {
        const options = typeof selection.firestore === 'object' ? selection.firestore : {};
        const firestore = await startFirestore(options);
        closers.push(() => firestore.close());
        describeFirestore(firestore);
        give('firestore', {
          kind: firestore.kind,
          host: firestore.host,
          port: firestore.port,
          hostPort: firestore.hostPort,
          projectId: firestore.projectId,
          isolatesTransactions: firestore.isolatesTransactions,
          reason: firestore.reason ?? null,
          adminUrl: firestore.adminUrl,
        });
        setEnv('FIRESTORE_EMULATOR_HOST', firestore.hostPort);
      }

      if (selection.ses) {
        const ses = await startSes(typeof selection.ses === 'object' ? selection.ses : {});
        closers.push(() => ses.close());
        give('ses', { endpoint: ses.endpoint, viewerUrl: ses.viewerUrl });
        setEnv('SES_ENDPOINT', ses.endpoint);
      }

      if (selection.cloud) {
        const cloud = await startCloudEmulator({ grpcPort: 0, httpPort: 0 });
        closers.push(() => cloud.close());
        const grpcHostPort = formatHostPort(cloud.grpcEndpoint.host, cloud.grpcEndpoint.port);
        give('cloud', {
          grpcHostPort,
          grpcHost: cloud.grpcEndpoint.host,
          grpcPort: cloud.grpcEndpoint.port,
          httpUrl: cloud.httpUrl,
          projectId: cloud.projectId,
        });
        setEnv('CLOUD_TASKS_EMULATOR_HOST', grpcHostPort);
        setEnv('SECRET_MANAGER_EMULATOR_HOST', grpcHostPort);
      }

      if (selection.openai) {
        const openai = await startOpenAIStub({ port: 0 });
        closers.push(() => openai.close());
        give('openai', { url: openai.url, baseURL: openai.baseURL });
        setEnv('OPENAI_BASE_URL', openai.baseURL);
      }
    } catch (error) {
      await teardown().catch(() => undefined);
      throw error;
    }

    return teardown;
  };
}

/** Every stand-in on (the same as global-setup-all.ts). */
export default createGlobalSetup({ firestore: true, ses: true, cloud: true, openai: true });

function describeFirestore(firestore: LocalFirestore): void {
  const line =
    firestore.kind === 'firebase-emulator'
      ? `[test-env] Firestore: Firebase emulator at ${firestore.hostPort} (transactions isolated)\n`
      : `[test-env] Firestore: @firestore-emulator/server stand-in at ${firestore.hostPort} ` +
        `(concurrent transactions NOT isolated). Firebase emulator not used: ${firestore.reason ?? 'unknown'}\n`;
  process.stderr.write(line);
}
