import express from 'express';
import type { Express } from 'express';
import type { SecretHelpers } from './secret-manager/helpers.js';

/** Inspection endpoints (JSON + a small HTML page). Secret payloads are never exposed. */

export interface InspectSources {
  projectId: string;
  secrets: SecretHelpers;
}

export function createInspectApp(sources: InspectSources): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/secrets.json', (_req, res) => {
    res.json({ secrets: sources.secrets.list() });
  });
  return app;
}
