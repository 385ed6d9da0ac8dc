import { z } from 'zod';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once at startup. Fails with one message listing every bad variable
 * (`z.prettifyError`), never echoing a value (it may be a secret: no message here quotes its input).
 */
export function parseConfig<T extends z.ZodType>(schema: T, env: Record<string, string | undefined>, service: string): z.output<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(`Invalid configuration for ${service}:\n${z.prettifyError(result.error)}`);
}

/** Treats an empty variable as unset, as shells and .env files commonly produce them. */
export const optionalString = () => z.preprocess((value) => (value === '' ? undefined : value), z.string().optional());

export const intFromEnv = (defaultValue: number, min: number, max: number) =>
  z.preprocess(
    (value) => (value === '' || value === undefined ? undefined : value),
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be an integer')
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .default(defaultValue),
  );

export const booleanFromEnv = (defaultValue: boolean) =>
  z.preprocess(
    (value) => (value === '' || value === undefined ? undefined : value),
    z
      .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
      .transform((value) => value === 'true' || value === '1')
      .default(defaultValue),
  );

/** `ALLOWED_ORIGINS`: comma-separated origins such as `https://shop.example,http://localhost:5000`. */
export const originListFromEnv = () =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value : ''),
    z.string().transform((value, ctx) => {
      const origins: string[] = [];
      for (const raw of value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)) {
        let origin: string | undefined;
        try {
          const url = new URL(raw);
          if (url.origin !== 'null' && url.origin === raw.replace(/\/$/, '')) origin = url.origin;
        } catch {
          origin = undefined;
        }
        if (!origin) {
          ctx.addIssue({ code: 'custom', message: `"${raw}" is not an origin like https://shop.example` });
          return z.NEVER;
        }
        origins.push(origin);
      }
      return origins;
    }),
  );

/** Express `trust proxy`: a hop count, or false. See docs/decisions/0007-client-ip-and-visitor-limits.md. */
export const trustProxyFromEnv = (defaultHops: number) =>
  z.preprocess(
    (value) => (value === '' || value === undefined ? String(defaultHops) : value),
    z
      .string()
      .regex(/^(false|\d{1,2})$/, 'must be a number of proxy hops (e.g. 2) or false')
      .transform((value) => (value === 'false' ? false : Number(value))),
  );

export const logLevelFromEnv = () => z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info');
