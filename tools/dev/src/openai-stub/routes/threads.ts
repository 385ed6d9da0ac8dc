/**
 * ChatKit threads: `GET /v1/chatkit/threads/{thread_id}` and `GET /v1/chatkit/threads/{thread_id}/items`.
 *
 * Items are paginated like the real API (the SDK's `ConversationCursorPage`): `limit` (1-100,
 * default 20), `order` (`asc` | `desc`, default `desc`), `after` / `before` (an item id: the page
 * starts after it, or ends before it, in the requested order); the answer is
 * `{object: 'list', data, first_id, last_id, has_more}`.
 */
import type { ChatKitThreadItemList } from 'openai/resources/beta/chatkit/threads';
import { invalidRequest, notFound } from '../errors.js';
import type { ThreadItem } from '../threads.js';
import { CHATKIT_BETA } from './sessions.js';
import type { RouteContext, RouteDef, RouteRequest } from './types.js';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

function threadId(req: RouteRequest, ctx: RouteContext): string {
  const id = req.params['thread_id'] ?? '';
  if (!ctx.state.threads.has(id)) throw notFound(`No thread found with id '${id}'.`, 'thread_id');
  return id;
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  if (!/^-?\d+$/.test(raw.trim())) {
    throw invalidRequest(
      `Invalid 'limit': expected an integer, but got '${raw}' instead.`,
      'limit',
      'invalid_type',
    );
  }
  const limit = Number(raw);
  if (limit < 1) {
    throw invalidRequest(
      `Invalid 'limit': integer below minimum value. Expected a value greater than or equal to 1, but got ${limit} instead.`,
      'limit',
      'integer_below_min_value',
    );
  }
  if (limit > MAX_LIMIT) {
    throw invalidRequest(
      `Invalid 'limit': integer above maximum value. Expected a value less than or equal to ${MAX_LIMIT}, but got ${limit} instead.`,
      'limit',
      'integer_above_max_value',
    );
  }
  return limit;
}

function parseOrder(raw: string | undefined): 'asc' | 'desc' {
  if (raw === undefined || raw === 'desc') return 'desc';
  if (raw === 'asc') return 'asc';
  throw invalidRequest(`Invalid value: '${raw}'. Supported values are: 'asc' and 'desc'.`, 'order', 'invalid_value');
}

function cursorIndex(items: readonly ThreadItem[], id: string, param: 'after' | 'before', thread: string): number {
  const index = items.findIndex((item) => item.id === id);
  if (index < 0) {
    throw invalidRequest(`Invalid '${param}': no item with id '${id}' in thread '${thread}'.`, param, 'invalid_value');
  }
  return index;
}

export const threadRoutes: readonly RouteDef[] = [
  {
    method: 'GET',
    path: '/v1/chatkit/threads/{thread_id}',
    beta: CHATKIT_BETA,
    handle(req, ctx) {
      return { json: ctx.state.threads.threadOf(threadId(req, ctx)) };
    },
  },
  {
    method: 'GET',
    path: '/v1/chatkit/threads/{thread_id}/items',
    beta: CHATKIT_BETA,
    handle(req, ctx) {
      const id = threadId(req, ctx);
      const limit = parseLimit(req.query['limit']);
      const order = parseOrder(req.query['order']);
      const chronological = ctx.state.threads.itemsOf(id) ?? [];
      const ordered = order === 'asc' ? [...chronological] : [...chronological].reverse();

      let start = 0;
      let end = ordered.length;
      const after = req.query['after'];
      const before = req.query['before'];
      if (after !== undefined && after !== '') start = cursorIndex(ordered, after, 'after', id) + 1;
      if (before !== undefined && before !== '') end = cursorIndex(ordered, before, 'before', id);

      // `before` pages backwards: the `limit` items just before the cursor.
      const window = ordered.slice(start, Math.max(start, end));
      const fromEnd = before !== undefined && before !== '' && (after === undefined || after === '');
      const data = fromEnd ? window.slice(-limit) : window.slice(0, limit);
      const page: ChatKitThreadItemList = {
        object: 'list',
        data: structuredClone(data),
        first_id: data[0]?.id ?? null,
        last_id: data.at(-1)?.id ?? null,
        has_more: data.length < window.length,
      };
      return { json: page };
    },
  },
];
