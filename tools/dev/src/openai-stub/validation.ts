/**
 * Request-body validation that fails the way the real API does: one error at a time, naming the
 * parameter by its dotted path, with the real API's `code` vocabulary.
 */
import { z } from 'zod';
import { invalidRequest, type OpenAIHttpError } from './errors.js';

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {}, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw issue ? toOpenAIError(issue) : invalidRequest('Invalid request body.', null, null);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'int':
      return 'an integer';
    case 'object':
    case 'record':
      return 'an object';
    case 'array':
      return 'an array';
    case 'number':
      return 'a number';
    default:
      return `a ${expected}`;
  }
}

function toOpenAIError(issue: z.core.$ZodIssue): OpenAIHttpError {
  const param = z.core.toDotPath(issue.path);
  const named = param === '' ? 'body' : param;
  const hasInput = 'input' in issue && issue.input !== undefined;
  switch (issue.code) {
    case 'invalid_type':
      if (!hasInput && param !== '') {
        return invalidRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
      }
      return invalidRequest(
        `Invalid type for '${named}': expected ${describeExpected(issue.expected)}, but got ${describeValue(issue.input)} instead.`,
        param || null,
        'invalid_type',
      );
    case 'unrecognized_keys': {
      const key = issue.keys[0] ?? '';
      const full = param === '' ? key : `${param}.${key}`;
      return invalidRequest(`Unknown parameter: '${full}'.`, full, 'unknown_parameter');
    }
    case 'too_small':
      if (issue.origin === 'string') {
        return invalidRequest(
          `Invalid '${named}': empty string. Expected a string with minimum length ${String(issue.minimum)}, but got an empty string instead.`,
          param || null,
          'empty_string',
        );
      }
      return invalidRequest(
        `Invalid '${named}': integer below minimum value. Expected a value greater than or equal to ${String(issue.minimum)}, but got ${String(issue.input)} instead.`,
        param || null,
        'integer_below_min_value',
      );
    case 'too_big':
      return invalidRequest(
        `Invalid '${named}': value above maximum. Expected a value less than or equal to ${String(issue.maximum)}, but got ${String(issue.input)} instead.`,
        param || null,
        'integer_above_max_value',
      );
    case 'invalid_value':
      return invalidRequest(
        `Invalid value: '${String(issue.input)}'. Supported values are: ${issue.values.map((v) => `'${String(v)}'`).join(', ')}.`,
        param || null,
        'invalid_value',
      );
    case 'invalid_union': {
      // Blame the branch that got furthest (e.g. `input[0].role` rather than `input`).
      const deepest = issue.errors
        .map((branch) => branch[0])
        .filter((sub): sub is z.core.$ZodIssue => sub !== undefined && sub.path.length > 0)
        .sort((a, b) => b.path.length - a.path.length)[0];
      if (deepest) return toOpenAIError({ ...deepest, path: [...issue.path, ...deepest.path] });
      return invalidRequest(
        `Invalid type for '${named}': got ${describeValue(issue.input)}, which is not an accepted type.`,
        param || null,
        'invalid_type',
      );
    }
    default:
      return invalidRequest(`Invalid '${named}': ${issue.message}.`, param || null, 'invalid_value');
  }
}
