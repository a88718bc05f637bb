/**
 * Finding inspector targets: the `/json/list` endpoint Node's inspector serves
 * (what chrome-remote-interface's `CDP.List` reads), and `/json/version`,
 * which names the Node version without running code in it. Fetched here with a
 * timeout so a silent port never hangs the caller, and with errors that say
 * which of "nothing listening" / "not an inspector" / "no answer" happened.
 */
import { ConnectionError } from './errors';

export interface InspectorTarget {
  id: string;
  /** Node's title is the script path (`node[1234]` style on some versions). */
  title: string;
  url: string;
  webSocketDebuggerUrl: string;
}

export interface HostPort {
  host: string;
  port: number;
}

/** `host:port`, `[::1]:9229` or a bare `9229` (host 127.0.0.1). Returns null when it is none of these. */
export function parseHostPort(text: string): HostPort | null {
  const match = /^(?:\[([^\]]+)\]|([^:\s]+))?:?(\d{1,5})$/.exec(text.trim());
  if (!match) return null;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return null;
  return { host: match[1] ?? match[2] ?? '127.0.0.1', port };
}

export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** True for 127.0.0.0/8, ::1 and localhost: addresses that need no "this can run code" confirmation. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export async function listTargets(host: string, port: number, { timeoutMs = 5000 }: { timeoutMs?: number } = {}): Promise<InspectorTarget[]> {
  const where = formatHostPort({ host, port });
  let response: Response;
  try {
    response = await fetch(`http://${where}/json/list`, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw connectionFailure(error, where, timeoutMs);
  }
  let body: unknown;
  try {
    body = response.ok ? await response.json() : undefined;
  } catch {
    body = undefined;
  }
  if (!Array.isArray(body)) throw new ConnectionError(`${where} is not a Node.js inspector (it answered HTTP without an inspector target list)`);
  return body.filter(isTarget).map(({ id, title, url, webSocketDebuggerUrl }) => ({ id, title, url, webSocketDebuggerUrl }));
}

/**
 * What the inspector says it runs (`node.js/v20.20.2`), from `/json/version`
 * on `where` (`host:port`); undefined when it does not answer or does not say.
 * Read over HTTP so nothing is evaluated in the target.
 */
export async function inspectorBrowser(where: string, { timeoutMs = 5000 }: { timeoutMs?: number } = {}): Promise<string | undefined> {
  try {
    const response = await fetch(`http://${where}/json/version`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (response.ok ? await response.json() : undefined) as { Browser?: unknown } | undefined;
    return typeof body?.Browser === 'string' ? body.Browser : undefined;
  } catch {
    return undefined;
  }
}

function isTarget(value: unknown): value is InspectorTarget {
  if (typeof value !== 'object' || value === null) return false;
  const target = value as Record<string, unknown>;
  return typeof target.id === 'string' && typeof target.webSocketDebuggerUrl === 'string' && target.webSocketDebuggerUrl !== '';
}

/** Turns fetch's generic "fetch failed" into the sentence a user needs. */
export function connectionFailure(error: unknown, where: string, timeoutMs: number): ConnectionError {
  const code = errorCode(error);
  if (code === 'ECONNREFUSED') return new ConnectionError(`nothing is listening on ${where}; start Node with --inspect (or check the port)`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ConnectionError(`cannot resolve the host of ${where}`);
  if (code === 'TimeoutError' || code === 'AbortError' || code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new ConnectionError(`${where} did not answer within ${Math.round(timeoutMs / 1000)} s; is it a Node.js inspector?`);
  }
  if (code === 'HPE_INVALID_CONSTANT' || code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'HPE_INVALID_HEADER_TOKEN') {
    return new ConnectionError(`${where} is not a Node.js inspector (it does not speak HTTP the way the inspector does)`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ConnectionError(`cannot reach an inspector on ${where}: ${message}`);
}

/** fetch wraps the socket error in `cause`; timeouts are DOMExceptions named TimeoutError. */
function errorCode(error: unknown): string | undefined {
  for (let current = error, i = 0; current && i < 4; i++) {
    if (typeof current !== 'object') break;
    const record = current as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof record.code === 'string') return record.code;
    if (record.name === 'TimeoutError' || record.name === 'AbortError') return record.name;
    current = record.cause;
  }
  return undefined;
}
