import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { checks, type CheckName } from '../src/checks/index.js';
import { loadDeployment, type Deployment } from '../src/checks/deployment.js';
import { code } from '../src/checks/services.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

describe('the deployment files of this repository', () => {
  let deployment: Deployment;
  beforeAll(async () => {
    deployment = await loadDeployment(repoRoot);
  });

  it('when the environments are read, then prod and staging are both checked', () => {
    expect(deployment.environments.map((e) => e.name)).toEqual(['prod', 'staging']);
  });

  for (const name of Object.keys(checks) as CheckName[]) {
    it(`when the ${name} check runs, then it finds no problem`, async () => {
      expect(await checks[name](deployment, code)).toEqual([]);
    });
  }
});
