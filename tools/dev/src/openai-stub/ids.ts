import { randomBytes } from 'node:crypto';

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** `req_` + 32 hex chars, the shape of the real API's `x-request-id`. */
export function newRequestId(): string {
  return `req_${hex(16)}`;
}

export function newSessionId(): string {
  return `cksess_${hex(24)}`;
}

/** An ephemeral client secret, unique per session. */
export function newClientSecret(): string {
  return `ek_${hex(16)}_${randomBytes(24).toString('base64url')}`;
}

export function newFaultId(): string {
  return `fault_${hex(6)}`;
}
