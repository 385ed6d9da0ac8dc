import net, { type AddressInfo, type Socket } from 'node:net';

/**
 * What the dependency behind the proxy does:
 * - `up`: every byte passes both ways;
 * - `stopped`: nothing listens (connections are refused), as when the process is down;
 * - `hanging`: connections are accepted and never answered, as when packets vanish.
 * Changing the state ends every open connection, so long-lived gRPC channels see the change.
 */
export type DependencyState = 'up' | 'stopped' | 'hanging';

export interface TcpFaultProxy {
  /** `127.0.0.1:<port>`, for `*_EMULATOR_HOST` variables. */
  hostPort: string;
  port: number;
  state(): DependencyState;
  set(state: DependencyState): Promise<void>;
  close(): Promise<void>;
}

/** A TCP proxy in front of a local stand-in (Firestore, the cloud emulator) that can stop or hang it. */
export async function startTcpFaultProxy(target: { host: string; port: number }): Promise<TcpFaultProxy> {
  let current: DependencyState = 'up';
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
  };

  const server = net.createServer((client) => {
    track(client);
    if (current === 'hanging') return; // held open, never answered
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const dropAll = () => {
    for (const socket of open) socket.destroy();
  };

  await listen(0);
  const { port } = server.address() as AddressInfo;

  return {
    hostPort: `127.0.0.1:${port}`,
    port,
    state: () => current,
    async set(next) {
      if (next === current) return;
      const wasListening = current !== 'stopped';
      current = next;
      dropAll();
      if (next === 'stopped' && wasListening) await stopListening();
      if (next !== 'stopped' && !wasListening) await listen(port);
    },
    async close() {
      dropAll();
      if (current !== 'stopped') await stopListening();
    },
  };
}
