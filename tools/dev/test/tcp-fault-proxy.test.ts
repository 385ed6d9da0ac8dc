import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpFaultProxy, type TcpFaultProxy } from '../src/testing/tcp-fault-proxy.js';

let echo: net.Server;
let proxy: TcpFaultProxy;
beforeAll(async () => {
  echo = net.createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  proxy = await startTcpFaultProxy({ host: '127.0.0.1', port: (echo.address() as AddressInfo).port });
});
afterAll(async () => {
  await proxy.close();
  await new Promise((resolve) => echo.close(resolve));
});

/** Connects, writes `text`, and resolves with what came back within `waitMs`, or the connect error's code. */
function roundTrip(text: string, waitMs = 300): Promise<{ reply: string } | { error: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(proxy.port, '127.0.0.1');
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ reply });
    }, waitMs);
    socket.on('connect', () => socket.write(text));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply === text) {
        clearTimeout(timer);
        socket.destroy();
        resolve({ reply });
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ error: error.code ?? error.message });
    });
  });
}

describe('TCP fault proxy', () => {
  it('when the dependency is up, then bytes pass both ways', async () => {
    expect(await roundTrip('ping')).toEqual({ reply: 'ping' });
  });

  it('when it is stopped, then connections are refused, and once up again they pass', async () => {
    await proxy.set('stopped');
    expect(await roundTrip('ping')).toEqual({ error: 'ECONNREFUSED' });
    await proxy.set('up');
    expect(await roundTrip('again')).toEqual({ reply: 'again' });
  });

  it('when it hangs, then a connection is accepted and never answered', async () => {
    await proxy.set('hanging');
    expect(await roundTrip('ping')).toEqual({ reply: '' });
    await proxy.set('up');
    expect(await roundTrip('back')).toEqual({ reply: 'back' });
  });

  it('when the state changes, then an open connection is ended (a gRPC channel sees the outage)', async () => {
    const socket = net.connect(proxy.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await proxy.set('hanging');
    await closed;
    expect(socket.destroyed).toBe(true);
    await proxy.set('up');
  });
});
