import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/** pino level → Cloud Logging severity. */
const severityByLevel: Record<string, string> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

/**
 * Values that must never reach a log line, wherever they sit in a logged object.
 * Message bodies and client secrets are on the list, not only credentials.
 */
export const redactedPaths = [
  'apiKey',
  'api_key',
  'client_secret',
  'clientSecret',
  'current',
  'authorization',
  'password',
  'secret',
  'token',
  '*.apiKey',
  '*.api_key',
  '*.client_secret',
  '*.clientSecret',
  '*.current',
  '*.authorization',
  '*.Authorization',
  '*.secret',
  '*.token',
  '*.text',
  '*.content',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
];

export interface LoggerConfig {
  level: string;
  service: string;
  /** Service version shown in every line (e.g. Cloud Run's K_REVISION). */
  version?: string | undefined;
}

/**
 * JSON lines in the shape Cloud Logging parses from stdout: `severity`, `message`, `time`,
 * and (per request) `logging.googleapis.com/trace`.
 */
export function createLogger(config: LoggerConfig, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: config.level,
    messageKey: 'message',
    errorKey: 'err',
    base: { serviceContext: { service: config.service, ...(config.version ? { version: config.version } : {}) } },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ severity: severityByLevel[label] ?? 'DEFAULT' }),
    },
    redact: { paths: redactedPaths, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
