/** Every route group the stub serves. Add a group (e.g. `threads.ts`, `responses.ts`) by listing it here. */
import { sessionRoutes } from './sessions.js';
import type { RouteDef } from './types.js';

export const allRoutes: readonly RouteDef[] = [...sessionRoutes];
