/** Conversions between epoch milliseconds and google.protobuf.Timestamp / Duration objects. */

export interface ProtoTimestamp {
  seconds?: string | number | null;
  nanos?: number | null;
}
export type ProtoDuration = ProtoTimestamp;

export function toTimestamp(ms: number): { seconds: string; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.round((ms - seconds * 1000) * 1e6);
  return { seconds: String(seconds), nanos };
}

export function fromTimestamp(value: ProtoTimestamp | null | undefined): number | undefined {
  if (!value) return undefined;
  return Number(value.seconds ?? 0) * 1000 + (value.nanos ?? 0) / 1e6;
}

/** A duration has a timestamp's shape (seconds since zero instead of since the epoch). */
export const toDuration = (ms: number): { seconds: string; nanos: number } => toTimestamp(ms);
export const fromDuration = (value: ProtoDuration | null | undefined): number | undefined => fromTimestamp(value);
