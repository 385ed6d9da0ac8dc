import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configTableProblems, envExampleMissing, parseConfigTable } from '../src/testing/readme-config-table.js';

const readme = (rows: string): string => `# Title

## Configuration

| variable | service | default | meaning |
| --- | --- | --- | --- |
${rows}

## Next
`;

const shape = {
  RATE_LIMIT_PER_MINUTE: z.coerce.number().default(30),
  OPENAI_TIMEOUT_MS: z.coerce.number().default(30_000),
  TASK_HANDLER_URL: z.url(),
  SES_ENDPOINT: z.url().optional(),
  ALLOWED_ORIGINS: z.preprocess((v) => (typeof v === 'string' ? v.split(',') : []), z.array(z.string())),
};

const check = (rows: string, service = 'lead') =>
  configTableProblems(parseConfigTable(readme(rows)), { service, shape, readByLibraries: ['FIRESTORE_EMULATOR_HOST'] });

const agreeing = [
  '| `RATE_LIMIT_PER_MINUTE` | all | `10` (lead `30`) | per IP |',
  '| `OPENAI_TIMEOUT_MS` | lead | `30000` | timeout |',
  '| `TASK_HANDLER_URL`, `SES_ENDPOINT` | lead | (required), AWS | urls |',
  '| `ALLOWED_ORIGINS`, `FIRESTORE_EMULATOR_HOST` | all | (none) | origins, emulator |',
].join('\n');

describe('README configuration table vs a zod schema', () => {
  it('when the table agrees with the schema, then there are no problems', () => {
    expect(check(agreeing)).toEqual([]);
  });

  it('when the table says 10 and 10000 where the schema says 30 and 30000, then both are named with their README line', () => {
    const rows = agreeing.replace('`10` (lead `30`)', '`10`').replace('`30000`', '`10000`');
    expect(check(rows)).toEqual([
      'README line 7: RATE_LIMIT_PER_MINUTE for lead says `10`, the schema has `30`',
      'README line 8: OPENAI_TIMEOUT_MS for lead says `10000`, the schema has `30000`',
    ]);
  });

  it('when a variable is required in the schema but the table gives no default, then it is named', () => {
    expect(check(agreeing.replace('(required), AWS', '(none), AWS'))).toEqual([
      'README line 9: TASK_HANDLER_URL for lead says "(none)" (no default), the schema has (required)',
    ]);
  });

  it('when the table lacks a schema variable or lists one the schema lacks, then both are named', () => {
    const rows = agreeing.replace('| `OPENAI_TIMEOUT_MS` | lead | `30000` | timeout |', '| `OPENAI_TIMEOUT` | lead | `30000` | timeout |');
    expect(check(rows)).toEqual([
      'README line 8: OPENAI_TIMEOUT is listed for lead but its schema has no such variable',
      "OPENAI_TIMEOUT_MS (lead) is in the schema but not in the README's configuration table",
    ]);
  });

  it('when a row is for another service, then it is not checked against this one', () => {
    expect(check(`${agreeing}\n| \`AGENT_MODEL\` | session | \`gpt-4.1-mini\` | model |`)).toEqual([]);
  });

  it('when .env.example mentions only some variables, then the others are listed', () => {
    expect(envExampleMissing('RATE_LIMIT_PER_MINUTE=30\n# SES_ENDPOINT=\n', shape, ['ALLOWED_ORIGINS'])).toEqual([
      'OPENAI_TIMEOUT_MS',
      'TASK_HANDLER_URL',
    ]);
  });
});
