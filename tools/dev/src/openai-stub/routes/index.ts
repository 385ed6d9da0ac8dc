/** Every route group the stub serves. Add a group by listing it here. */
import { responseRoutes } from './responses.js';
import type { RouteDef } from './types.js';

export const allRoutes: readonly RouteDef[] = [...responseRoutes];
