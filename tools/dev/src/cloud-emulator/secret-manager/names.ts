import { invalidArgument } from '../grpc-errors.js';

/** Resource names of Secret Manager v1 (global `projects/p/...` and regional `projects/p/locations/l/...`). */

const PARENT = /^projects\/([^/]+)(?:\/locations\/([^/]+))?$/;
const SECRET = /^(projects\/[^/]+(?:\/locations\/[^/]+)?)\/secrets\/([^/]+)$/;
const VERSION = /^(projects\/[^/]+(?:\/locations\/[^/]+)?\/secrets\/[^/]+)\/versions\/([^/]+)$/;
export const SECRET_ID = /^[A-Za-z0-9_-]{1,255}$/;

export interface ParsedParent {
  parent: string;
  regional: boolean;
}

export function parseParent(parent: string | undefined): ParsedParent {
  const match = PARENT.exec(parent ?? '');
  if (!match) throw invalidArgument(`Invalid resource field value in the request: parent "${parent ?? ''}".`);
  return { parent: match[0], regional: match[2] !== undefined };
}

export function parseSecretName(name: string | undefined): { parent: string; secretId: string; name: string } {
  const match = SECRET.exec(name ?? '');
  if (!match || !SECRET_ID.test(match[2] ?? '')) {
    throw invalidArgument(`Invalid resource field value in the request: name "${name ?? ''}".`);
  }
  return { parent: match[1] ?? '', secretId: match[2] ?? '', name: match[0] };
}

/** `version` is a positive integer or the alias `latest`. */
export function parseVersionName(name: string | undefined): { secret: string; version: number | 'latest' } {
  const match = VERSION.exec(name ?? '');
  const rawVersion = match?.[2] ?? '';
  const secret = match?.[1];
  if (!match || secret === undefined) {
    throw invalidArgument(`Invalid resource field value in the request: name "${name ?? ''}".`);
  }
  parseSecretName(secret);
  if (rawVersion === 'latest') return { secret, version: 'latest' };
  if (!/^[1-9][0-9]{0,9}$/.test(rawVersion)) {
    throw invalidArgument(`Invalid resource field value in the request: version "${rawVersion}".`);
  }
  return { secret, version: Number(rawVersion) };
}

/**
 * Seeds and helpers accept either a full name (`projects/p/secrets/x`) or a short secret id
 * (`x`), which lives in the emulator's default project.
 */
export function resolveSecretName(nameOrId: string, projectId: string): string {
  if (nameOrId.startsWith('projects/')) return parseSecretName(nameOrId).name;
  if (!SECRET_ID.test(nameOrId)) {
    throw invalidArgument(`"${nameOrId}" is neither a secret resource name nor a valid secret id`);
  }
  return `projects/${projectId}/secrets/${nameOrId}`;
}
