import { invalidArgument } from '../grpc-errors.js';
import { fromDuration } from '../proto-time.js';
import type { ProtoDuration } from '../proto-time.js';
import type { RetryPolicy } from './backoff.js';

/** Queue configuration: real-service defaults, validation and update masks. */

interface RateLimitPolicy {
  maxDispatchesPerSecond: number;
  /** Output only in the API; derived from maxDispatchesPerSecond. */
  maxBurstSize: number;
  maxConcurrentDispatches: number;
}

export interface QueueConfig {
  retry: RetryPolicy;
  rate: RateLimitPolicy;
  stackdriverSamplingRatio: number | undefined;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 100,
  maxRetryDurationMs: 0,
  minBackoffMs: 100,
  maxBackoffMs: 3_600_000,
  maxDoublings: 16,
};

const DEFAULT_MAX_DISPATCHES_PER_SECOND = 500;
const DEFAULT_MAX_CONCURRENT_DISPATCHES = 1000;
const MAX_CONCURRENT_DISPATCHES_LIMIT = 5000;

/** Approximation of the burst size Cloud Tasks picks (100 for the default 500/s). */
function burstSizeFor(maxDispatchesPerSecond: number): number {
  return Math.max(1, Math.min(100, Math.ceil(maxDispatchesPerSecond)));
}

export function defaultQueueConfig(): QueueConfig {
  return {
    retry: { ...DEFAULT_RETRY_POLICY },
    rate: {
      maxDispatchesPerSecond: DEFAULT_MAX_DISPATCHES_PER_SECOND,
      maxBurstSize: burstSizeFor(DEFAULT_MAX_DISPATCHES_PER_SECOND),
      maxConcurrentDispatches: DEFAULT_MAX_CONCURRENT_DISPATCHES,
    },
    stackdriverSamplingRatio: undefined,
  };
}

export interface QueueInput {
  name?: string;
  rateLimits?: {
    maxDispatchesPerSecond?: number;
    maxBurstSize?: number;
    maxConcurrentDispatches?: number;
  } | null;
  retryConfig?: {
    maxAttempts?: number;
    maxRetryDuration?: ProtoDuration | null;
    minBackoff?: ProtoDuration | null;
    maxBackoff?: ProtoDuration | null;
    maxDoublings?: number;
  } | null;
  stackdriverLoggingConfig?: { samplingRatio?: number } | null;
  appEngineRoutingOverride?: unknown;
}

/** Field paths accepted in UpdateQueue masks (snake_case, camelCase also accepted). */
const LEAF_PATHS = [
  'rate_limits.max_dispatches_per_second',
  'rate_limits.max_concurrent_dispatches',
  'retry_config.max_attempts',
  'retry_config.max_retry_duration',
  'retry_config.min_backoff',
  'retry_config.max_backoff',
  'retry_config.max_doublings',
  'stackdriver_logging_config.sampling_ratio',
] as const;
type LeafPath = (typeof LEAF_PATHS)[number];

function snakeCase(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function expandMask(paths: readonly string[] | undefined): Set<LeafPath> {
  if (!paths || paths.length === 0) return new Set(LEAF_PATHS);
  const leaves = new Set<LeafPath>();
  for (const raw of paths) {
    const path = snakeCase(raw);
    if (path === 'rate_limits.max_burst_size') throw invalidArgument('rate_limits.max_burst_size is output only.');
    const matching = LEAF_PATHS.filter((leaf) => leaf === path || leaf.startsWith(`${path}.`));
    if (matching.length === 0) throw invalidArgument(`Unsupported update_mask path "${raw}".`);
    for (const leaf of matching) leaves.add(leaf);
  }
  return leaves;
}

/**
 * Applies `input` onto `base` for the fields in `maskPaths` (all fields when empty). Unset
 * values fall back to the service defaults, like the real CreateQueue/UpdateQueue.
 */
export function applyQueueInput(base: QueueConfig, input: QueueInput, maskPaths?: readonly string[]): QueueConfig {
  if (input.appEngineRoutingOverride) {
    throw invalidArgument('app_engine_routing_override is not supported by the emulator (HTTP targets only).');
  }
  const mask = expandMask(maskPaths);
  const next: QueueConfig = { retry: { ...base.retry }, rate: { ...base.rate }, stackdriverSamplingRatio: base.stackdriverSamplingRatio };
  const retry = input.retryConfig ?? {};
  const rate = input.rateLimits ?? {};
  const defaults = defaultQueueConfig();

  if (mask.has('retry_config.max_attempts')) next.retry.maxAttempts = retry.maxAttempts || defaults.retry.maxAttempts;
  if (mask.has('retry_config.max_retry_duration')) next.retry.maxRetryDurationMs = fromDuration(retry.maxRetryDuration) ?? 0;
  if (mask.has('retry_config.min_backoff')) next.retry.minBackoffMs = fromDuration(retry.minBackoff) ?? defaults.retry.minBackoffMs;
  if (mask.has('retry_config.max_backoff')) next.retry.maxBackoffMs = fromDuration(retry.maxBackoff) ?? defaults.retry.maxBackoffMs;
  if (mask.has('retry_config.max_doublings')) next.retry.maxDoublings = retry.maxDoublings || defaults.retry.maxDoublings;
  if (mask.has('rate_limits.max_dispatches_per_second')) {
    next.rate.maxDispatchesPerSecond = rate.maxDispatchesPerSecond || defaults.rate.maxDispatchesPerSecond;
    next.rate.maxBurstSize = burstSizeFor(next.rate.maxDispatchesPerSecond);
  }
  if (mask.has('rate_limits.max_concurrent_dispatches')) {
    next.rate.maxConcurrentDispatches = rate.maxConcurrentDispatches || defaults.rate.maxConcurrentDispatches;
  }
  if (mask.has('stackdriver_logging_config.sampling_ratio')) {
    next.stackdriverSamplingRatio = input.stackdriverLoggingConfig?.samplingRatio;
  }
  validateQueueConfig(next);
  return next;
}

function validateQueueConfig(config: QueueConfig): void {
  const { retry, rate } = config;
  if (retry.maxAttempts < -1) throw invalidArgument('retry_config.max_attempts must be -1 (unlimited) or positive.');
  if (retry.maxRetryDurationMs < 0) throw invalidArgument('retry_config.max_retry_duration must not be negative.');
  if (retry.minBackoffMs < 0 || retry.maxBackoffMs < 0) throw invalidArgument('retry_config backoffs must not be negative.');
  if (retry.minBackoffMs > retry.maxBackoffMs) {
    throw invalidArgument('retry_config.min_backoff must be less than or equal to retry_config.max_backoff.');
  }
  if (retry.maxDoublings < 0) throw invalidArgument('retry_config.max_doublings must not be negative.');
  if (!(rate.maxDispatchesPerSecond > 0) || rate.maxDispatchesPerSecond > 500) {
    throw invalidArgument('rate_limits.max_dispatches_per_second must be in (0, 500].');
  }
  if (rate.maxConcurrentDispatches < 1 || rate.maxConcurrentDispatches > MAX_CONCURRENT_DISPATCHES_LIMIT) {
    throw invalidArgument(`rate_limits.max_concurrent_dispatches must be in [1, ${MAX_CONCURRENT_DISPATCHES_LIMIT}].`);
  }
}
