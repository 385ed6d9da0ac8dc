import * as grpc from '@grpc/grpc-js';
import { ApiError } from './grpc-errors.js';

/** A unary handler written as a plain (possibly async) function of the decoded request. */
type UnaryHandler = (request: never) => unknown;
export type UnaryHandlers = Record<string, UnaryHandler>;

/** Adapts plain functions to grpc-js handlers; ApiErrors become their status, anything else INTERNAL. */
export function toGrpcImplementation(handlers: UnaryHandlers): grpc.UntypedServiceImplementation {
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const [method, handler] of Object.entries(handlers)) {
    implementation[method] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>): void => {
      Promise.resolve()
        .then(() => (handler as (request: unknown) => unknown)(call.request))
        .then(
          (response) => callback(null, response ?? {}),
          (error: unknown) => callback(toServiceError(error)),
        );
    };
  }
  return implementation;
}

function toServiceError(error: unknown): Partial<grpc.StatusObject> {
  if (error instanceof ApiError) return { code: error.code, details: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: grpc.status.INTERNAL, details: `emulator error: ${message}` };
}

export interface StartedGrpcServer {
  server: grpc.Server;
  port: number;
  close(): Promise<void>;
}

export async function startGrpcServer(
  host: string,
  port: number,
  services: ReadonlyArray<{ definition: grpc.ServiceDefinition; implementation: grpc.UntypedServiceImplementation }>,
): Promise<StartedGrpcServer> {
  const server = new grpc.Server();
  for (const { definition, implementation } of services) server.addService(definition, implementation);
  const address = host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
  const boundPort = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound)));
  });
  return {
    server,
    port: boundPort,
    close: () =>
      new Promise<void>((resolve) => {
        // Give in-flight calls a moment, then cut remaining connections (idle client channels).
        const force = setTimeout(() => server.forceShutdown(), 500);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
