import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { allowedOriginsOf, checkOrigin } from '../src/allowed-origins.js';

/** What `gcloud run services describe --format=json` prints (Knative v1 shape), trimmed. */
const described = (name: string, origins: string) => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name },
  spec: {
    template: {
      spec: {
        containers: [
          {
            image: 'img',
            env: [
              { name: 'LOG_LEVEL', value: 'info' },
              { name: 'ALLOWED_ORIGINS', value: origins },
            ],
          },
        ],
      },
    },
  },
});

const dir = mkdtempSync(join(tmpdir(), 'origins-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = fileURLToPath(new URL('../src/cli/check-allowed-origins.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

describe('the deploy-time ALLOWED_ORIGINS check (cloudbuild.yaml step check-origins)', () => {
  it('when a described service lists origins, then they are read from its container', () => {
    expect(allowedOriginsOf(described('chatkit-session', 'https://a.web.app, https://www.a.example'))).toEqual({
      service: 'chatkit-session',
      allowed: ['https://a.web.app', 'https://www.a.example'],
    });
  });

  it('when the site origin is listed (a trailing slash aside), then it is allowed', () => {
    expect(checkOrigin('https://www.a.example/', described('s', 'https://a.web.app,https://www.a.example')).ok).toBe(true);
  });

  it('when the site origin is not listed, then it is refused', () => {
    expect(checkOrigin('https://www.a.example', described('s', 'https://a.web.app')).ok).toBe(false);
  });

  it('when the CLI finds the origin missing on one service, then it exits 1 naming that service and the fix', () => {
    writeFileSync(join(dir, 'session.json'), JSON.stringify(described('chatkit-session', 'https://a.web.app')));
    writeFileSync(join(dir, 'lead.json'), JSON.stringify(described('chatkit-lead', 'https://b.web.app')));
    const result = spawnSync(tsx, [cli, 'https://a.web.app', join(dir, 'session.json'), join(dir, 'lead.json')], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('chatkit-session: https://a.web.app is allowed');
    expect(result.stderr).toContain('chatkit-lead: https://a.web.app is not in ALLOWED_ORIGINS (https://b.web.app)');
    expect(result.stderr).toContain('terraform apply');
  });

  it('when every service allows the origin, then the CLI exits 0', () => {
    writeFileSync(join(dir, 'lead.json'), JSON.stringify(described('chatkit-lead', 'https://a.web.app')));
    const result = spawnSync(tsx, [cli, 'https://a.web.app', join(dir, 'session.json'), join(dir, 'lead.json')], { encoding: 'utf8' });
    expect(result.status).toBe(0);
  });
});
