import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/**
 * Loads the Cloud Tasks v2 and Secret Manager v1 service definitions from the protos that ship
 * inside the official client packages, so the emulator speaks exactly the wire format the
 * clients expect. Paths are resolved through the module system, so any cwd works.
 */

const require = createRequire(import.meta.url);

/** Walks up from a resolved entry file to the directory whose package.json has `name`. */
function packageRoot(entryFile: string, name: string): string {
  let dir = dirname(entryFile);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
      if (parsed.name === name) return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot locate the package root of ${name} from ${entryFile}`);
    dir = parent;
  }
}

interface ProtoDirs {
  tasks: string;
  secretManager: string;
  /** google/api, google/iam, google/rpc, ... as shipped with the google-gax the clients use. */
  common: string;
}

function protoDirs(): ProtoDirs {
  const tasksEntry = require.resolve('@google-cloud/tasks');
  const secretsEntry = require.resolve('@google-cloud/secret-manager');
  // Resolve google-gax from the client package: that is the copy the client really loads.
  const gaxEntry = createRequire(tasksEntry).resolve('google-gax');
  return {
    tasks: join(packageRoot(tasksEntry, '@google-cloud/tasks'), 'build', 'protos'),
    secretManager: join(packageRoot(secretsEntry, '@google-cloud/secret-manager'), 'build', 'protos'),
    common: join(packageRoot(gaxEntry, 'google-gax'), 'build', 'protos'),
  };
}

/**
 * Decoding options used by the service handlers: camelCase fields, int64 as decimal strings,
 * enums as their names, bytes as Buffers, unset fields left undefined (so "unset" and "zero"
 * stay distinguishable, which Cloud Tasks defaults depend on).
 */
const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: String,
  enums: String,
  bytes: Buffer,
  defaults: false,
  oneofs: true,
};

export interface EmulatorProtos {
  cloudTasks: grpc.ServiceDefinition;
  secretManager: grpc.ServiceDefinition;
}

function serviceAt(root: grpc.GrpcObject, path: string): grpc.ServiceDefinition {
  let node: unknown = root;
  for (const part of path.split('.')) {
    node = (node as Record<string, unknown> | undefined)?.[part];
  }
  const ctor = node as { service?: grpc.ServiceDefinition } | undefined;
  if (!ctor?.service) throw new Error(`service ${path} not found in the loaded protos`);
  return ctor.service;
}

let cached: EmulatorProtos | undefined;

export function loadEmulatorProtos(): EmulatorProtos {
  if (cached) return cached;
  const dirs = protoDirs();
  const tasksDef = protoLoader.loadSync('google/cloud/tasks/v2/cloudtasks.proto', {
    ...LOADER_OPTIONS,
    includeDirs: [dirs.tasks, dirs.common],
  });
  const secretsDef = protoLoader.loadSync('google/cloud/secretmanager/v1/service.proto', {
    ...LOADER_OPTIONS,
    includeDirs: [dirs.secretManager, dirs.common],
  });
  cached = {
    cloudTasks: serviceAt(grpc.loadPackageDefinition(tasksDef), 'google.cloud.tasks.v2.CloudTasks'),
    secretManager: serviceAt(grpc.loadPackageDefinition(secretsDef), 'google.cloud.secretmanager.v1.SecretManagerService'),
  };
  return cached;
}
