// A TCP proxy on 127.0.0.1 that can go dark between a request and its
// answer, as a network or a broker going down after writing does.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /**
   * From the next bytes the target sends back on, every answer is dropped
   * and its connection cut, and new connections are cut at once, until
   * restore(): the request was served, the client never hears so.
   */
  goDarkAtNextResponse(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(listenPort: number, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let state: 'open' | 'arming' | 'dark' = 'open';
  const server: Server = createServer((client) => {
    if (state === 'dark') {
      client.destroy();
      return;
    }
    const target = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(target);
    const cut = () => {
      client.destroy();
      target.destroy();
    };
    client.on('data', (chunk) => target.write(chunk));
    target.on('data', (chunk) => {
      if (state !== 'open') {
        state = 'dark';
        cut();
        return;
      }
      client.write(chunk);
    });
    for (const socket of [client, target]) {
      socket.on('error', cut);
      socket.on('close', () => {
        sockets.delete(socket);
        cut();
      });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => resolve());
  });
  return {
    port: listenPort,
    goDarkAtNextResponse: () => (state = 'arming'),
    restore: () => (state = 'open'),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
