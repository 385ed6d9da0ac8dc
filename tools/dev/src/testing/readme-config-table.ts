/**
 * The README's configuration table checked against a service's zod environment schema, so a
 * default or a variable in the table cannot drift from the code (each service's
 * `test/readme-config.test.ts` runs it).
 *
 * Table rows: `| variables | service | default | meaning |`.
 * - variables: one or more backticked names, comma-separated.
 * - service: `all`, or service names (`session`, `lead`), comma-separated; a parenthesised remark
 *   is ignored (`session (lead reads)`).
 * - default: one part per variable, comma-separated (a single part applies to every variable):
 *   - a backticked literal (`30000`) is the schema's default, compared as a string; it may name
 *     another default for one service: `10` (lead `30`);
 *   - `(required)`: the schema rejects the variable unset;
 *   - anything else ("(none)", "(secret)", "OpenAI", a literal with `<placeholders>`) says the
 *     schema has no literal default: unset parses to nothing (undefined or an empty list).
 */
import type { z } from 'zod';

export interface ConfigRow {
  /** 1-based line in the README. */
  line: number;
  variables: string[];
  /** Empty = every service. */
  services: string[];
  defaults: string[];
}

const SECTION = /^## Configuration\s*$/m;
const LITERAL = /^`([^`]*)`$/;
const LITERAL_WITH_OVERRIDE = /^`([^`]*)` \((\w+) `([^`]*)`\)$/;

const cells = (row: string): string[] =>
  row
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cell.trim());

/** Splits on commas outside backticks and parentheses. */
function splitTopLevel(cell: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inTicks = false;
  let current = '';
  for (const char of cell) {
    if (char === '`') inTicks = !inTicks;
    else if (!inTicks && char === '(') depth += 1;
    else if (!inTicks && char === ')') depth -= 1;
    if (char === ',' && !inTicks && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += char;
  }
  if (current.trim() !== '' || parts.length > 0) parts.push(current.trim());
  return parts;
}

/** The rows of the first table under `## Configuration`. */
export function parseConfigTable(markdown: string): ConfigRow[] {
  const start = SECTION.exec(markdown);
  if (!start) throw new Error('README has no "## Configuration" section');
  const before = markdown.slice(0, start.index).split('\n').length - 1;
  const lines = markdown.slice(start.index).split('\n');
  const rows: ConfigRow[] = [];
  let inTable = false;
  for (const [index, text] of lines.entries()) {
    if (index > 0 && /^## /.test(text)) break;
    if (!text.startsWith('|')) {
      if (inTable) break;
      continue;
    }
    const [variables = '', services = '', defaults = ''] = cells(text);
    if (!inTable) {
      if (variables !== 'variable') throw new Error(`unexpected configuration table header: ${text}`);
      inTable = true;
      continue;
    }
    if (/^-+$/.test(variables)) continue;
    rows.push({
      line: before + index + 1,
      variables: splitTopLevel(variables).map((name) => name.replace(/`/g, '')),
      services: services === 'all' ? [] : splitTopLevel(services.replace(/\(.*?\)/g, '')).filter(Boolean),
      defaults: splitTopLevel(defaults),
    });
  }
  if (rows.length === 0) throw new Error('the configuration table has no rows');
  return rows;
}

export interface CheckOptions {
  service: string;
  /** The service's environment shape (`z.object(shape)` is what it parses). */
  shape: z.ZodRawShape;
  /** Variables a client library reads itself (in the table, not in the schema). */
  readByLibraries?: readonly string[];
}

type Expectation = { kind: 'literal'; value: string } | { kind: 'required' } | { kind: 'none'; text: string };

function expectation(part: string, service: string): Expectation {
  const override = LITERAL_WITH_OVERRIDE.exec(part);
  if (override) return { kind: 'literal', value: override[2] === service ? (override[3] ?? '') : (override[1] ?? '') };
  const literal = LITERAL.exec(part);
  if (literal && !/<[^>]+>/.test(literal[1] ?? '')) return { kind: 'literal', value: literal[1] ?? '' };
  if (part === '(required)') return { kind: 'required' };
  return { kind: 'none', text: part };
}

type Actual = { kind: 'default'; value: string } | { kind: 'required' } | { kind: 'none' };

function actualDefault(schema: z.ZodType): Actual {
  const parsed = schema.safeParse(undefined);
  if (!parsed.success) return { kind: 'required' };
  const value: unknown = parsed.data;
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return { kind: 'none' };
  return { kind: 'default', value: Array.isArray(value) ? value.join(',') : String(value) };
}

const describe = (actual: Actual): string =>
  actual.kind === 'default' ? `\`${actual.value}\`` : actual.kind === 'required' ? '(required)' : 'no default';

/** Every disagreement between the table and the schema, one sentence each (empty = they agree). */
export function configTableProblems(rows: readonly ConfigRow[], options: CheckOptions): string[] {
  const { service, shape } = options;
  const libraries = new Set(options.readByLibraries ?? []);
  const problems: string[] = [];
  const documented = new Set<string>();
  for (const row of rows) {
    if (row.services.length > 0 && !row.services.includes(service)) continue;
    if (row.defaults.length !== 1 && row.defaults.length !== row.variables.length) {
      problems.push(`README line ${row.line}: ${row.variables.length} variables but ${row.defaults.length} defaults`);
      continue;
    }
    for (const [index, name] of row.variables.entries()) {
      documented.add(name);
      const schema = shape[name] as z.ZodType | undefined;
      if (!schema) {
        if (!libraries.has(name))
          problems.push(`README line ${row.line}: ${name} is listed for ${service} but its schema has no such variable`);
        continue;
      }
      const expected = expectation(row.defaults.length === 1 ? (row.defaults[0] ?? '') : (row.defaults[index] ?? ''), service);
      const actual = actualDefault(schema);
      const agrees =
        expected.kind === 'literal'
          ? actual.kind === 'default' && actual.value === expected.value
          : expected.kind === 'required'
            ? actual.kind === 'required'
            : actual.kind === 'none';
      if (!agrees) {
        const said =
          expected.kind === 'literal'
            ? `\`${expected.value}\``
            : expected.kind === 'required'
              ? '(required)'
              : `"${expected.text}" (no default)`;
        problems.push(`README line ${row.line}: ${name} for ${service} says ${said}, the schema has ${describe(actual)}`);
      }
    }
  }
  for (const name of Object.keys(shape)) {
    if (!documented.has(name)) problems.push(`${name} (${service}) is in the schema but not in the README's configuration table`);
  }
  return problems;
}

/** Variables of the schema that a service's `.env.example` never mentions (`NAME=` or `# NAME=`). */
export function envExampleMissing(envExample: string, shape: z.ZodRawShape, except: readonly string[] = []): string[] {
  const mentioned = new Set([...envExample.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));
  return Object.keys(shape).filter((name) => !mentioned.has(name) && !except.includes(name));
}
