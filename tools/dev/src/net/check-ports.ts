import { createServer } from 'node:net';

/** True when nothing listens on `port` at `host` (we could bind it a moment ago). */
function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/**
 * Fails before anything starts when a configured port is taken, naming the variable that moves
 * it ("port 8081 is in use: set DEV_SESSION_PORT to a free port"). Port 0 means "any".
 */
export async function assertPortsFree(ports: Record<string, number>, host = '127.0.0.1'): Promise<void> {
  const taken: string[] = [];
  for (const [variable, port] of Object.entries(ports)) {
    if (port !== 0 && !(await isFree(port, host))) taken.push(`port ${port} is in use: set ${variable} to a free port`);
  }
  if (taken.length > 0) throw new Error(taken.join('\n'));
}
