/**
 * Reaching the process behind a VS Code debug session (js-debug, `pwa-node`):
 * its CDP proxy, and the CDP call frame that matches the stack frame the user
 * selected. Facts this relies on: docs/inspector.md.
 */
import * as vscode from 'vscode';
import { ConnectionError, InspectorSession, type PausedCallFrame } from '../../inspector';

const PROXY_TIMEOUT_MS = 10_000;

export function isJsDebugSession(session: vscode.DebugSession): boolean {
  return session.type === 'pwa-node' || session.type === 'node' || session.type === 'pwa-chrome' || session.type === 'pwa-msedge';
}

/** The concrete child session (the actual process), not js-debug's parent launcher. */
export function isConcreteSession(session: vscode.DebugSession): boolean {
  return session.parentSession !== undefined || '__pendingTargetId' in session.configuration;
}

/**
 * Picks the concrete child of `session`: itself when it is one, else the
 * one child among `known` whose parent it is.
 */
export function concreteSession(session: vscode.DebugSession, known: Iterable<vscode.DebugSession>): vscode.DebugSession | undefined {
  if (isConcreteSession(session)) return session;
  for (const candidate of known) if (candidate.parentSession?.id === session.id) return candidate;
  return undefined;
}

/** `{host, port, path}` as js-debug returns it, validated (an early code-server build returned host "http", port null). */
export async function requestCdpProxyUrl(session: vscode.DebugSession): Promise<string> {
  const request = vscode.commands.executeCommand<unknown>('extension.js-debug.requestCDPProxy', session.id);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ConnectionError(`the JavaScript debugger did not hand out a connection to "${session.name}" within ${PROXY_TIMEOUT_MS / 1000} s`)),
      PROXY_TIMEOUT_MS,
    );
  });
  let answer: unknown;
  try {
    answer = await Promise.race([Promise.resolve(request), timeout]);
  } catch (error) {
    if (error instanceof ConnectionError) throw error;
    throw new ConnectionError(`the JavaScript debugger refused a connection to "${session.name}": ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearTimeout(timer);
  }
  return proxyUrl(answer, session.name);
}

export function proxyUrl(answer: unknown, sessionName: string): string {
  const value = (answer ?? {}) as { host?: unknown; port?: unknown; path?: unknown };
  const host = value.host;
  const port = value.port;
  const path = typeof value.path === 'string' ? value.path : '';
  const validHost = typeof host === 'string' && /^[A-Za-z0-9.\-:[\]]+$/.test(host) && host !== 'http' && host !== 'https';
  const validPort = typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536;
  if (!validHost || !validPort) {
    throw new ConnectionError(`the JavaScript debugger returned an unusable address for "${sessionName}" (${JSON.stringify(answer)}); try again once the program is running`);
  }
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `ws://${hostPart}:${port}${path.startsWith('/') || path === '' ? path : `/${path}`}`;
}

export async function connectToDebugSession(session: vscode.DebugSession): Promise<InspectorSession> {
  const webSocketUrl = await requestCdpProxyUrl(session);
  return InspectorSession.connect({ webSocketUrl, viaJsDebugProxy: true });
}

interface DapStackFrame {
  id: number;
  name: string;
  presentationHint?: string;
}

/**
 * The CDP callFrameId of the frame the user selected in the Call Stack view,
 * or undefined when the program is not paused. DAP frame i is CDP frame i once
 * js-debug's inserted label frames (async boundaries) are skipped; the
 * function name is checked, and on a mismatch the first frame of that name wins.
 */
export async function selectedCallFrameId(session: vscode.DebugSession, inspector: InspectorSession): Promise<string | undefined> {
  const cdpFrames = await inspector.pausedCallFrames();
  if (cdpFrames.length === 0) return undefined;
  const active = vscode.debug.activeStackItem;
  if (!(active instanceof vscode.DebugStackFrame) || active.session.id !== session.id) return cdpFrames[0].callFrameId;
  const trace = (await session.customRequest('stackTrace', { threadId: active.threadId, startFrame: 0, levels: 200 })) as { stackFrames?: DapStackFrame[] };
  const dapFrames = (trace.stackFrames ?? []).filter((frame) => frame.presentationHint !== 'label');
  const index = dapFrames.findIndex((frame) => frame.id === active.frameId);
  if (index < 0) return cdpFrames[0].callFrameId;
  return matchFrame(cdpFrames, index, dapFrames[index].name)?.callFrameId ?? cdpFrames[0].callFrameId;
}

/** DAP names look like `Processor.load` or `<anonymous>`; CDP's are `load` or ``. */
export function matchFrame(cdpFrames: readonly PausedCallFrame[], index: number, dapName: string): PausedCallFrame | undefined {
  const sameName = (frame: PausedCallFrame) => {
    const cdpName = frame.functionName;
    if (cdpName === '') return dapName === '<anonymous>' || dapName === '' || dapName.startsWith('<');
    return dapName === cdpName || dapName.endsWith(`.${cdpName}`) || dapName.startsWith(`${cdpName} `);
  };
  const atIndex = cdpFrames[index];
  if (atIndex && sameName(atIndex)) return atIndex;
  return cdpFrames.find(sameName) ?? atIndex;
}

/**
 * js-debug names Map/Set entries `[...m.entries()][3]`, which builds a new
 * array (and entry) at each evaluation: the entry itself has no retainers
 * worth showing, its value does.
 */
export function evaluateNameForRetainers(evaluateName: string): string {
  if (/^\[\.\.\.[\s\S]+\.entries\(\)\]\[\d+\]$/.test(evaluateName)) return `${evaluateName}[1]`;
  return evaluateName;
}
