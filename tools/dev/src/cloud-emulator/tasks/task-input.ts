import { ApiError, invalidArgument } from '../grpc-errors.js';
import { status } from '@grpc/grpc-js';
import { fromDuration, fromTimestamp } from '../proto-time.js';
import type { ProtoDuration, ProtoTimestamp } from '../proto-time.js';

/** Validation and normalisation of CreateTask input (HTTP targets), with the real service's limits. */

type HttpMethod = 'POST' | 'GET' | 'HEAD' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS';

export interface TaskHttpRequest {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  body: Buffer | undefined;
  oidcToken: { serviceAccountEmail: string; audience: string | undefined } | undefined;
  oauthToken: { serviceAccountEmail: string; scope: string | undefined } | undefined;
}

export interface TaskInput {
  name?: string;
  httpRequest?: {
    url?: string;
    httpMethod?: string;
    headers?: Record<string, string>;
    body?: Buffer;
    oidcToken?: { serviceAccountEmail?: string; audience?: string } | null;
    oauthToken?: { serviceAccountEmail?: string; scope?: string } | null;
  } | null;
  appEngineHttpRequest?: unknown;
  scheduleTime?: ProtoTimestamp | null;
  dispatchDeadline?: ProtoDuration | null;
}

const MIN_DISPATCH_DEADLINE_MS = 15_000;
const MAX_DISPATCH_DEADLINE_MS = 30 * 60_000;
const DEFAULT_DISPATCH_DEADLINE_MS = 10 * 60_000;
const MAX_SCHEDULE_AHEAD_MS = 30 * 24 * 3600_000;
const MAX_TASK_BYTES = 1024 * 1024;
const MAX_URL_LENGTH = 2083;
const METHODS_WITH_BODY = new Set<HttpMethod>(['POST', 'PUT', 'PATCH']);
const METHODS = new Set<string>(['POST', 'GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

export function normalizeHttpRequest(input: TaskInput['httpRequest'], appEngine: unknown): TaskHttpRequest {
  if (appEngine) {
    throw new ApiError(status.UNIMPLEMENTED, 'App Engine tasks are not supported by the emulator; use http_request.');
  }
  if (!input) throw invalidArgument('Task.http_request must be set.');
  const url = input.url ?? '';
  if (!/^https?:\/\/[^/]/i.test(url) || !URL.canParse(url)) {
    throw invalidArgument(`HttpRequest.url must be an absolute http:// or https:// URL, got "${url}".`);
  }
  if (url.length > MAX_URL_LENGTH) throw invalidArgument(`HttpRequest.url must be at most ${MAX_URL_LENGTH} characters.`);
  const rawMethod = input.httpMethod && input.httpMethod !== 'HTTP_METHOD_UNSPECIFIED' ? input.httpMethod : 'POST';
  if (!METHODS.has(rawMethod)) throw invalidArgument(`Unknown http_method ${rawMethod}.`);
  const method = rawMethod as HttpMethod;
  const body = input.body && input.body.length > 0 ? input.body : undefined;
  if (body && !METHODS_WITH_BODY.has(method)) {
    throw invalidArgument(`HttpRequest.body is only allowed for POST, PUT and PATCH, not ${method}.`);
  }
  if (body && body.length > MAX_TASK_BYTES) throw invalidArgument(`Task size exceeds ${MAX_TASK_BYTES} bytes.`);
  const oidc = input.oidcToken;
  const oauth = input.oauthToken;
  if (oidc && !oidc.serviceAccountEmail) throw invalidArgument('OidcToken.service_account_email must be set.');
  if (oauth && !oauth.serviceAccountEmail) throw invalidArgument('OAuthToken.service_account_email must be set.');
  return {
    url,
    method,
    headers: { ...(input.headers ?? {}) },
    body,
    oidcToken: oidc?.serviceAccountEmail
      ? { serviceAccountEmail: oidc.serviceAccountEmail, audience: oidc.audience || undefined }
      : undefined,
    oauthToken: oauth?.serviceAccountEmail
      ? { serviceAccountEmail: oauth.serviceAccountEmail, scope: oauth.scope || undefined }
      : undefined,
  };
}

export function normalizeDispatchDeadline(deadline: ProtoDuration | null | undefined): number {
  const ms = fromDuration(deadline);
  if (ms === undefined) return DEFAULT_DISPATCH_DEADLINE_MS;
  if (ms < MIN_DISPATCH_DEADLINE_MS || ms > MAX_DISPATCH_DEADLINE_MS) {
    throw invalidArgument('Task.dispatch_deadline must be between 15 seconds and 30 minutes.');
  }
  return ms;
}

/** Past (or unset) schedule times mean "now"; more than 30 days ahead is rejected. */
export function normalizeScheduleTime(scheduleTime: ProtoTimestamp | null | undefined, nowMs: number): number {
  const ms = fromTimestamp(scheduleTime);
  if (ms === undefined || ms <= nowMs) return nowMs;
  if (ms > nowMs + MAX_SCHEDULE_AHEAD_MS) throw invalidArgument('Task.schedule_time must be at most 30 days in the future.');
  return ms;
}
