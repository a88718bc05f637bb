// The few parts of `ws` (chrome-remote-interface's WebSocket library, v7) the
// stand-in proxy and the recording relay use; the package ships no types.
declare module 'ws' {
  import { EventEmitter } from 'node:events';
  class WebSocket extends EventEmitter {
    constructor(url: string, options?: { perMessageDeflate?: boolean; maxPayload?: number });
    static readonly OPEN: number;
    readonly readyState: number;
    send(data: string): void;
    close(): void;
    on(event: 'message', listener: (data: string | Buffer) => void): this;
    on(event: 'open' | 'close', listener: () => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
  }
  namespace WebSocket {
    class Server extends EventEmitter {
      constructor(
        options: ({ host: string; port: number } | { server: import('node:http').Server }) & { perMessageDeflate?: boolean; maxPayload?: number },
      );
      address(): { port: number };
      close(callback?: () => void): void;
      on(event: 'connection', listener: (socket: WebSocket) => void): this;
      on(event: 'listening', listener: () => void): this;
    }
  }
  export = WebSocket;
}
