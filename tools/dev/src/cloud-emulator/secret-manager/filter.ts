import { invalidArgument } from '../grpc-errors.js';

/**
 * A small subset of the List filter syntax (https://cloud.google.com/secret-manager/docs/filtering):
 * space- or AND-separated terms `name:sub`, `labels.k=v`, `labels.k:v`, `labels.k:*`, `state:ENABLED`.
 * Anything else is rejected instead of silently returning a wrong list.
 */
export interface Filterable {
  name: string;
  labels?: Record<string, string>;
  state?: string;
}

export function compileFilter(filter: string | undefined): (item: Filterable) => boolean {
  const text = (filter ?? '').trim();
  if (!text) return () => true;
  const terms = text.split(/\s+(?:AND\s+)?/).filter(Boolean);
  const predicates = terms.map(compileTerm);
  return (item) => predicates.every((predicate) => predicate(item));
}

function compileTerm(term: string): (item: Filterable) => boolean {
  const match = /^([A-Za-z_.][\w.-]*)([:=])(.+)$/.exec(term);
  if (!match) throw invalidArgument(`Unsupported filter term "${term}" (emulator supports name:, labels., state:).`);
  const [, field = '', operator = '', rawValue = ''] = match;
  const value = rawValue.replace(/^"(.*)"$/, '$1');
  const matches = (actual: string | undefined): boolean => {
    if (actual === undefined) return false;
    if (operator === '=') return actual === value;
    return value === '*' || actual.toLowerCase().includes(value.toLowerCase());
  };
  if (field === 'name') return (item) => matches(item.name.split('/').pop());
  if (field === 'state') return (item) => matches(item.state);
  if (field.startsWith('labels.')) {
    const key = field.slice('labels.'.length);
    return (item) => matches(item.labels?.[key]);
  }
  throw invalidArgument(`Unsupported filter field "${field}" (emulator supports name:, labels., state:).`);
}
