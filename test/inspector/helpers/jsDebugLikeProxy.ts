/**
 * A stand-in for js-debug's CDP proxy, built from what docs/inspector.md
 * records about the real one: it relays to a real Node inspector, forwards
 * NO events until `JsDebug.subscribe`, answers that method itself, and
 * records every method a client sends, so tests can assert the session never
 * calls `*.disable` on the debugger's shared session. Like js-debug's, the
 * upstream session outlives a client that disconnects, so what a client
 * leaves running (heap tracking) stays visible in `upstreamEvents`. (The real
 * proxy is exercised in the VS Code suite.)
 */
import WebSocket from 'ws';

export interface JsDebugLikeProxy {
  webSocketUrl: string;
  /** Every CDP method clients sent, in order. */
  methods: string[];
  /** Every event the target sent upstream (subscribed or not, client connected or not). */
  upstreamEvents: string[];
  close(): Promise<void>;
}

export async function startJsDebugLikeProxy(targetWebSocketUrl: string): Promise<JsDebugLikeProxy> {
  const methods: string[] = [];
  const upstreamEvents: string[] = [];
  const server = new WebSocket.Server({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 256 << 20 });
  await new Promise<void>((resolve) => server.on('listening', resolve));
  const upstreams: WebSocket[] = [];
  server.on('connection', (client) => {
    const subscribed: string[] = [];
    const pending: string[] = [];
    const upstream = new WebSocket(targetWebSocketUrl, { perMessageDeflate: false, maxPayload: 256 << 20 });
    upstreams.push(upstream);
    upstream.on('open', () => pending.splice(0).forEach((message) => upstream.send(message)));
    upstream.on('message', (data) => {
      const text = data.toString();
      const message = JSON.parse(text) as { id?: number; method?: string };
      if (message.method) upstreamEvents.push(message.method);
      if (message.method && !subscribed.some((pattern) => matches(pattern, message.method!))) return;
      if (client.readyState === WebSocket.OPEN) client.send(text);
    });
    upstream.on('close', () => client.close());
    upstream.on('error', () => client.close());
    client.on('message', (data) => {
      const text = data.toString();
      const message = JSON.parse(text) as { id: number; method: string; params?: { events?: string[] } };
      methods.push(message.method);
      if (message.method === 'JsDebug.subscribe') {
        subscribed.push(...(message.params?.events ?? []));
        client.send(JSON.stringify({ id: message.id, result: {} }));
        return;
      }
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
      else pending.push(text);
    });
  });
  return {
    webSocketUrl: `ws://127.0.0.1:${server.address().port}/proxy`,
    methods,
    upstreamEvents,
    close: () =>
      new Promise<void>((resolve) => {
        upstreams.forEach((upstream) => upstream.close());
        server.close(() => resolve());
      }),
  };
}

function matches(pattern: string, method: string): boolean {
  return pattern.endsWith('.*') ? method.startsWith(pattern.slice(0, -1)) : pattern === method;
}
