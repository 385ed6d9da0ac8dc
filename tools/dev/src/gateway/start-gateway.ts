import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { bundleDevChatKit, DEV_CHATKIT_PATH } from '../dev-chatkit/bundle.js';
import { createGateway } from './gateway.js';
import { loadHostingConfig } from './hosting-config.js';

export interface StartedGateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The gateway on `port` (0 = free), reading firebase.json and the site it names. */
export async function startGateway(options: {
  firebaseJson: string;
  port: number;
  host?: string;
  services: Record<string, string>;
  /** Override hosting.public (tests build the site elsewhere). */
  publicDir?: string;
}): Promise<StartedGateway> {
  const hosting = await loadHostingConfig(options.firebaseJson);
  const publicDir = options.publicDir ?? resolve(dirname(options.firebaseJson), hosting.public);
  const devScript = bundleDevChatKit();
  devScript.catch(() => undefined);
  const server = createGateway({
    hosting,
    publicDir,
    services: options.services,
    devRoutes: { [DEV_CHATKIT_PATH]: { contentType: 'text/javascript; charset=utf-8', body: () => devScript } },
  });
  const host = options.host ?? '127.0.0.1';
  server.listen(options.port, host);
  try {
    await once(server, 'listening');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`port ${options.port} is in use: set DEV_SITE_PORT to another port`, { cause: error });
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    port,
    close: () =>
      new Promise((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
