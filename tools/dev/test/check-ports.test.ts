import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertPortsFree } from '../src/net/check-ports.js';
import { freePort } from '../src/net/free-port.js';

describe('npm run dev port check', () => {
  it('when a configured port is taken, then the error names the variable that moves it', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as AddressInfo).port;
    try {
      await expect(assertPortsFree({ DEV_SITE_PORT: await freePort(), DEV_SES_PORT: taken })).rejects.toThrow(
        `port ${taken} is in use: set DEV_SES_PORT to a free port`,
      );
    } finally {
      squatter.close();
    }
  });

  it('when every port is free (or 0, any), then it passes', async () => {
    await expect(assertPortsFree({ DEV_SITE_PORT: await freePort(), DEV_LEAD_PORT: 0 })).resolves.toBeUndefined();
  });
});
