import { invalidArgument } from './grpc-errors.js';

/** Offset-based page tokens for the List* methods. */

export interface PageLimits {
  defaultSize: number;
  maxSize: number;
}

export interface Page<T> {
  items: T[];
  nextPageToken: string;
}

export function paginate<T>(all: readonly T[], pageSize: number | undefined, pageToken: string | undefined, limits: PageLimits): Page<T> {
  if (pageSize !== undefined && pageSize < 0) throw invalidArgument('page_size must not be negative.');
  const size = Math.min(pageSize || limits.defaultSize, limits.maxSize);
  const offset = pageToken ? decodeToken(pageToken) : 0;
  const items = all.slice(offset, offset + size);
  const next = offset + size;
  return { items, nextPageToken: next < all.length ? encodeToken(next) : '' };
}

function encodeToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeToken(token: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  if (!match) throw invalidArgument(`Invalid page_token "${token}".`);
  return Number(match[1]);
}
