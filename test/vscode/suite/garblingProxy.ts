/**
 * A relay between the extension and a real Node inspector that breaks the
 * heap snapshot stream: the first `HeapProfiler.addHeapSnapshotChunk` is
 * replaced by text no parser accepts, and from then on nothing the target
 * sends is relayed (more chunks, progress, the reply that ends the snapshot)
 * until the extension hangs up. A capture through it can only end because the
 * extension stopped it on its own after the parse error; waiting for the end
 * of the stream would wait forever.
 */
import WebSocket from 'ws';

export const GARBLED_CHUNK = '{"snapshot":{"meta":]]] this is not a heap snapshot';

export interface GarblingProxy {
  webSocketUrl: string;
  /** Resolves when the extension closes its connection, with how much of the target's stream it never received. */
  clientClosed: Promise<{ heldBack: number; heldChunks: number }>;
  /** Methods the extension sent, in order. */
  methods: string[];
  close(): Promise<void>;
}

export async function startGarblingProxy(targetWebSocketUrl: string): Promise<GarblingProxy> {
  const methods: string[] = [];
  const server = new WebSocket.Server({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 256 << 20 });
  await new Promise<void>((resolve) => server.on('listening', resolve));
  const upstreams: WebSocket[] = [];
  let closed: (counts: { heldBack: number; heldChunks: number }) => void = () => undefined;
  const clientClosed = new Promise<{ heldBack: number; heldChunks: number }>((resolve) => (closed = resolve));
  server.on('connection', (client) => {
    const pending: string[] = [];
    let garbled = false;
    let heldBack = 0;
    let heldChunks = 0;
    const upstream = new WebSocket(targetWebSocketUrl, { perMessageDeflate: false, maxPayload: 256 << 20 });
    upstreams.push(upstream);
    upstream.on('open', () => pending.splice(0).forEach((message) => upstream.send(message)));
    upstream.on('message', (data) => {
      const text = data.toString();
      if (garbled) {
        heldBack++;
        if ((JSON.parse(text) as { method?: string }).method === 'HeapProfiler.addHeapSnapshotChunk') heldChunks++;
        return;
      }
      const message = JSON.parse(text) as { method?: string; params?: { chunk?: string } };
      if (message.method === 'HeapProfiler.addHeapSnapshotChunk') {
        garbled = true;
        client.send(JSON.stringify({ method: message.method, params: { chunk: GARBLED_CHUNK } }));
        return;
      }
      client.send(text);
    });
    upstream.on('close', () => client.close());
    client.on('message', (data) => {
      const text = data.toString();
      methods.push((JSON.parse(text) as { method: string }).method);
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
      else pending.push(text);
    });
    client.on('close', () => {
      // The extension hung up: as a real inspector connection closing, the target's session ends (V8 stops tracking).
      upstream.close();
      if (garbled) closed({ heldBack, heldChunks });
    });
  });
  return {
    webSocketUrl: `ws://127.0.0.1:${server.address().port}/garbling`,
    clientClosed,
    methods,
    close: () =>
      new Promise<void>((resolve) => {
        upstreams.forEach((upstream) => upstream.close());
        server.close(() => resolve());
      }),
  };
}
