export interface TraceFields {
  'logging.googleapis.com/trace'?: string;
  'logging.googleapis.com/spanId'?: string;
  'logging.googleapis.com/trace_sampled'?: boolean;
}

const cloudTraceHeader = /^([0-9a-fA-F]{32})(?:\/(\d+))?(?:;o=([01]))?/;
const traceparentHeader = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * Log fields that tie a line to its request trace, from `X-Cloud-Trace-Context`
 * (`TRACE_ID/SPAN_ID;o=1`) or, failing that, W3C `traceparent`.
 */
export function traceFields(
  headers: { cloudTraceContext?: string | undefined; traceparent?: string | undefined },
  projectId: string | undefined,
): TraceFields {
  if (!projectId) return {};
  const cloud = headers.cloudTraceContext?.match(cloudTraceHeader);
  if (cloud?.[1]) {
    const fields: TraceFields = { 'logging.googleapis.com/trace': `projects/${projectId}/traces/${cloud[1]}` };
    if (cloud[2]) fields['logging.googleapis.com/spanId'] = BigInt(cloud[2]).toString(16).padStart(16, '0');
    if (cloud[3]) fields['logging.googleapis.com/trace_sampled'] = cloud[3] === '1';
    return fields;
  }
  const w3c = headers.traceparent?.match(traceparentHeader);
  if (w3c?.[1] && w3c[2] && w3c[3]) {
    return {
      'logging.googleapis.com/trace': `projects/${projectId}/traces/${w3c[1]}`,
      'logging.googleapis.com/spanId': w3c[2],
      'logging.googleapis.com/trace_sampled': (parseInt(w3c[3], 16) & 1) === 1,
    };
  }
  return {};
}
