/** Who is asking: from the verified visitor token (and the request's own page headers). */
export interface Visitor {
  user: string;
  /** What the logs carry instead of `user`: a keyed hash of it. */
  logId: string;
  locale: string;
  pageUrl: string | null;
  /** The client IP as the first trusted proxy saw it. */
  ip: string;
}
