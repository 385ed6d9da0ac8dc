import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Where seeded secrets come from. Keys are full names (`projects/p/secrets/x`) or short ids (`x`,
 * created in the emulator's project); a value is one payload (version 1) or a list of payloads
 * (versions 1..n, the last one being `latest`).
 */
export type SecretSeeds = Record<string, string | readonly string[]>;

const seedFileSchema = z.record(z.string().min(1), z.union([z.string(), z.array(z.string()).min(1)]));

/** `--secrets-file`: a JSON object `{ "openai-api-key": "sk-…", "projects/p/secrets/x": ["v1", "v2"] }`. */
export function loadSecretsFile(path: string): SecretSeeds {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read secrets file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = seedFileSchema.safeParse(parsed);
  if (!result.success) {
    throw new Error(`secrets file ${path} must be a JSON object of name -> string | string[]: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}

const SECRET_ENV_PREFIX = 'CLOUD_EMULATOR_SECRET_';
const SECRETS_JSON_ENV = 'CLOUD_EMULATOR_SECRETS_JSON';

/**
 * Environment seeding:
 * - `CLOUD_EMULATOR_SECRET_<ID>=value` creates secret `<ID>` verbatim (e.g. `CLOUD_EMULATOR_SECRET_OPENAI_API_KEY`
 *   → secret id `OPENAI_API_KEY`);
 * - `CLOUD_EMULATOR_SECRETS_JSON='{"openai-api-key":"sk-…"}'` for ids that are not valid variable names.
 */
export function secretsFromEnv(env: NodeJS.ProcessEnv): SecretSeeds {
  const seeds: Record<string, string | readonly string[]> = {};
  const json = env[SECRETS_JSON_ENV];
  if (json) {
    const result = seedFileSchema.safeParse(safeJson(json));
    if (!result.success) throw new Error(`${SECRETS_JSON_ENV} must be a JSON object of name -> string | string[]`);
    Object.assign(seeds, result.data);
  }
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith(SECRET_ENV_PREFIX) && key.length > SECRET_ENV_PREFIX.length && value !== undefined) {
      seeds[key.slice(SECRET_ENV_PREFIX.length)] = value;
    }
  }
  return seeds;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
