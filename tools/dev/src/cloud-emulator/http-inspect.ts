import express from 'express';
import type { Express } from 'express';
import type { SigningKey } from './oidc/signing-key.js';
import { renderInspectPage } from './inspect-page.js';
import type { SecretHelpers } from './secret-manager/helpers.js';
import type { TaskHelpers } from './tasks/helpers.js';

/**
 * The emulator's HTTP side:
 * - `/` HTML overview; `/tasks.json` queues with live tasks + recently finished tasks;
 *   `/secrets.json` secret names and version states (never payloads);
 * - `/oauth2/v1/certs` (PEM certificates by kid) and `/oauth2/v3/certs` (JWKS): the two formats
 *   google-auth-library's OAuth2Client fetches to verify ID tokens;
 * - `/.well-known/openid-configuration` for generic OIDC verifiers.
 */

export interface InspectSources {
  projectId: string;
  issuer: string;
  secrets: SecretHelpers;
  tasks: TaskHelpers;
  /** Generated in the background at start; awaited by the cert endpoints. */
  signingKey: Promise<SigningKey>;
}

export function createInspectApp(sources: InspectSources): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('json spaces', 2);

  const tasksDocument = (): unknown => ({ queues: sources.tasks.queues(), finished: sources.tasks.finished() });

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/secrets.json', (_req, res) => {
    res.json({ secrets: sources.secrets.list() });
  });
  app.get('/tasks.json', (_req, res) => {
    res.json(tasksDocument());
  });
  app.get('/oauth2/v1/certs', async (_req, res) => {
    const key = await sources.signingKey;
    res.set('cache-control', 'public, max-age=300').json(key.pemCerts);
  });
  app.get('/oauth2/v3/certs', async (_req, res) => {
    const key = await sources.signingKey;
    res.set('cache-control', 'public, max-age=300').json(key.jwks);
  });
  app.get('/.well-known/openid-configuration', (req, res) => {
    res.json({
      issuer: sources.issuer,
      jwks_uri: `${req.protocol}://${req.get('host') ?? ''}/oauth2/v3/certs`,
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      response_types_supported: ['id_token'],
    });
  });
  app.get('/', (_req, res) => {
    res.type('html').send(
      renderInspectPage({
        projectId: sources.projectId,
        queues: sources.tasks.queues(),
        finished: sources.tasks.finished().slice(-50).reverse(),
        secrets: sources.secrets.list(),
      }),
    );
  });
  return app;
}
