import { randomBytes } from 'node:crypto';

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** `req_` + 32 hex chars, the shape of the real API's `x-request-id`. */
export function newRequestId(): string {
  return `req_${hex(16)}`;
}

export function newFaultId(): string {
  return `fault_${hex(6)}`;
}

/** `resp_` + 48 hex chars, like the Responses API. */
export function newResponseId(): string {
  return `resp_${hex(24)}`;
}

/** `msg_` + 48 hex chars: a response output message. */
export function newOutputMessageId(): string {
  return `msg_${hex(24)}`;
}
