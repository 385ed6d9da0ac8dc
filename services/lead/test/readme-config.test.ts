import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configTableProblems, envExampleMissing, parseConfigTable } from '@lead-intake/dev-tools/testing/readme-config-table';
import { leadEnv } from '../src/config.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const envExample = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');

describe('README configuration table (lead)', () => {
  it('when the README table is compared with the zod schema, then every variable is listed with the default the schema has', () => {
    expect(
      configTableProblems(parseConfigTable(readme), {
        service: 'lead',
        shape: leadEnv,
        // Read by the Firestore client itself.
        readByLibraries: ['FIRESTORE_EMULATOR_HOST'],
      }),
    ).toEqual([]);
  });

  it('when .env.example is read, then it mentions every variable of the schema but the one Cloud Run sets', () => {
    expect(envExampleMissing(envExample, leadEnv, ['K_REVISION'])).toEqual([]);
  });
});
