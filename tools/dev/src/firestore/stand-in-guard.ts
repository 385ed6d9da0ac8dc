/**
 * `@firestore-emulator/server` keeps documents in plain objects keyed by id, so an id that is also
 * an Object.prototype key (`__proto__`, `constructor`, `toString`…) finds the prototype's member
 * instead of a document: reads never answer and writes fail with UNKNOWN. Firestore itself
 * refuses ids of the form `__*__` as reserved. This guard checks every resource name of a
 * request before the stand-in sees it and answers INVALID_ARGUMENT for both kinds, at once; a
 * handler that still throws answers INTERNAL instead of leaving the call open.
 */

/** The grpc-js status codes the guard answers with. */
const INVALID_ARGUMENT = 3;
const INTERNAL = 13;

interface GrpcHandler {
  func: (call: Call, callback: Callback) => unknown;
  type: 'unary' | 'serverStream' | 'clientStream' | 'bidi';
}

interface ServerWithHandlers {
  handlers?: Map<string, GrpcHandler>;
}

interface Call {
  request?: unknown;
  emit(event: 'error', error: { code: number; details: string }): boolean;
}

type Callback = (error: { code: number; details: string } | null, value?: unknown) => void;

const RESERVED = /^__.*__$/;
const objectKeys = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Why the stand-in cannot take this id, or null. */
function unusableId(id: string): string | null {
  if (RESERVED.test(id)) return `Resource id "${id}" is invalid because it is reserved.`;
  if (objectKeys.has(id))
    return `Resource id "${id}" is a JavaScript object key the local Firestore stand-in cannot store (Firestore itself accepts it).`;
  return null;
}

/** Every id in the resource names a request carries (document paths, query parents, collection ids). */
function* ids(value: unknown, key = ''): Generator<string> {
  if (typeof value === 'string') {
    if (key === 'collection_id') yield value;
    else if (['name', 'delete', 'documents', 'parent', 'database'].includes(key)) {
      const at = value.indexOf('/documents/');
      if (at >= 0) yield* value.slice(at + '/documents/'.length).split('/');
    }
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) yield* ids(item, key);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [name, child] of Object.entries(value)) yield* ids(child, name);
  }
}

function refusal(request: unknown): string | null {
  // The generated message classes keep their fields behind accessors: toObject() lists them.
  const plain =
    typeof (request as { toObject?: unknown })?.toObject === 'function' ? (request as { toObject(): unknown }).toObject() : request;
  for (const id of ids(plain)) {
    const reason = unusableId(id);
    if (reason) return reason;
  }
  return null;
}

/** Wraps the unary and server-streaming handlers of the stand-in's gRPC server in place. */
export function guardStandIn(server: unknown): void {
  const handlers = (server as ServerWithHandlers).handlers;
  if (!handlers) return; // another stand-in version: nothing to guard, nothing broken either
  for (const handler of handlers.values()) {
    const original = handler.func;
    if (handler.type === 'unary') {
      handler.func = (call: Call, callback: Callback) => {
        const reason = refusal(call.request);
        if (reason) return callback({ code: INVALID_ARGUMENT, details: reason });
        try {
          return original(call, callback);
        } catch (error) {
          return callback({ code: INTERNAL, details: `local Firestore stand-in: ${String(error)}` });
        }
      };
    } else if (handler.type === 'serverStream') {
      handler.func = (call: Call, callback: Callback) => {
        const reason = refusal(call.request);
        if (reason) return call.emit('error', { code: INVALID_ARGUMENT, details: reason });
        try {
          return original(call, callback);
        } catch (error) {
          return call.emit('error', { code: INTERNAL, details: `local Firestore stand-in: ${String(error)}` });
        }
      };
    }
  }
}
