import type { Express } from 'express';
import { errorHandler, notFound } from './error-handler.js';

/** Adds the 404/405 fallthrough and the error middleware; call after every route. */
export function finishApp(app: Express, routes: Record<string, readonly string[]>): Express {
  app.use(notFound({ '/health': ['GET', 'HEAD'], ...routes }));
  app.use(errorHandler());
  return app;
}
