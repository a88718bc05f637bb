/**
 * A transparent relay in front of a real Node inspector that records the
 * conversation: every method a client sends and every event the client
 * receives. It serves the inspector's `/json/version` (fetched from the
 * target) so a client connecting by WebSocket URL sees a plain attach, as the
 * extension's Attach command does. Unlike the js-debug-like proxy it forwards
 * everything and adds no protocol of its own.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';

export interface RecordingRelay {
  webSocketUrl: string;
  /** Every CDP method clients sent, in order. */
  methods: string[];
  /** Every event forwarded to a client, in order. */
  eventsToClient: string[];
  close(): Promise<void>;
}

export async function startRecordingRelay(targetWebSocketUrl: string): Promise<RecordingRelay> {
  const methods: string[] = [];
  const eventsToClient: string[] = [];
  const targetHost = new URL(targetWebSocketUrl).host;
  const http = createServer((request, response) => {
    if (request.url !== '/json/version') {
      response.writeHead(404).end();
      return;
    }
    fetch(`http://${targetHost}/json/version`).then(
      async (answer) => response.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text()),
      () => response.writeHead(502).end(),
    );
  });
  const server = new WebSocket.Server({ server: http, perMessageDeflate: false, maxPayload: 256 << 20 });
  const upstreams: WebSocket[] = [];
  server.on('connection', (client) => {
    const pending: string[] = [];
    const upstream = new WebSocket(targetWebSocketUrl, { perMessageDeflate: false, maxPayload: 256 << 20 });
    upstreams.push(upstream);
    upstream.on('open', () => pending.splice(0).forEach((message) => upstream.send(message)));
    upstream.on('message', (data) => {
      const text = data.toString();
      // V8 writes events as {"method":…} first; reading just that keeps 100 MB of snapshot chunks cheap to relay.
      const method = /^\{"method":"([^"]+)"/.exec(text.slice(0, 200))?.[1];
      if (method) eventsToClient.push(method);
      if (client.readyState === WebSocket.OPEN) client.send(text);
    });
    upstream.on('close', () => client.close());
    upstream.on('error', () => client.close());
    client.on('message', (data) => {
      const text = data.toString();
      methods.push((JSON.parse(text) as { method: string }).method);
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
      else pending.push(text);
    });
    client.on('close', () => upstream.close());
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    webSocketUrl: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/relay`,
    methods,
    eventsToClient,
    close: () =>
      new Promise<void>((resolve) => {
        upstreams.forEach((upstream) => upstream.close());
        server.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
