import { Firestore } from '@google-cloud/firestore';
import { CloudTasksClient } from '@google-cloud/tasks';
import { grpc } from 'google-gax';
import { TransientError } from '../errors/transient-error.js';
import { emulatorClientOptions, LOCAL_PROJECT_ID } from '../secrets/secret-manager-source.js';
import { withDeadline, type CloudDependency } from './deadline.js';

/**
 * Firestore for a service; the client honours FIRESTORE_EMULATOR_HOST itself. On the emulator it
 * gets an explicit project and universe domain: without them google-auth-library looks for
 * credentials (to learn the project and the universe), ends up probing the GCE metadata server,
 * and prints a MetadataLookupWarning when that fails in an unexpected way.
 */
export function createFirestoreClient(projectId: string | undefined, emulatorHost = process.env['FIRESTORE_EMULATOR_HOST']): Firestore {
  if (!emulatorHost) return new Firestore({ ...(projectId ? { projectId } : {}), ignoreUndefinedProperties: true });
  return new Firestore({ projectId: projectId ?? LOCAL_PROJECT_ID, universeDomain: 'googleapis.com', ignoreUndefinedProperties: true });
}

/** Production credentials by default; the local emulator when `CLOUD_TASKS_EMULATOR_HOST` is set. */
export function createCloudTasksClient(options: { emulatorHost?: string | undefined; projectId?: string | undefined }): CloudTasksClient {
  if (!options.emulatorHost) return new CloudTasksClient();
  return new CloudTasksClient(emulatorClientOptions(options.emulatorHost, options.projectId));
}

/** A queue as configured (a full `projects/…/queues/…` name, or an id in the project and location). */
export function cloudTasksQueuePath(queue: string, projectId: string | undefined, location: string): string {
  return queue.startsWith('projects/') ? queue : `projects/${projectId}/locations/${location}/queues/${queue}`;
}

/** The gRPC status codes the Google Cloud clients put on their errors' `code` (`grpc.status`). */
export const GrpcStatus = grpc.status;

/** gRPC status codes (Firestore, Cloud Tasks) that say "retry later", not "this request is wrong". */
const TRANSIENT_GRPC_CODES: ReadonlySet<number> = new Set([
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.RESOURCE_EXHAUSTED,
  GrpcStatus.ABORTED,
  GrpcStatus.INTERNAL,
  GrpcStatus.UNAVAILABLE,
]);

export function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The error's gRPC code when it says "retry later" (an outage, not a wrong request); else undefined. */
export function transientGrpcCode(error: unknown): number | undefined {
  const code = grpcCode(error);
  return code !== undefined && TRANSIENT_GRPC_CODES.has(code) ? code : undefined;
}

/**
 * A Google Cloud call within its deadline, the one way the services call Firestore and Cloud
 * Tasks: an outage (a transient gRPC code, the deadline) becomes TransientError; any other error
 * (a precondition, not found, permission) is the caller's to interpret.
 */
export async function cloudCall<T>(dependency: CloudDependency, deadlineMs: number, call: () => Promise<T>): Promise<T> {
  try {
    return await withDeadline(dependency, deadlineMs, call);
  } catch (error) {
    const code = transientGrpcCode(error);
    if (code !== undefined)
      throw new TransientError(`${dependency} unavailable (gRPC ${code}): ${(error as Error).message}`, { cause: error });
    throw error;
  }
}
