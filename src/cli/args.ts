/**
 * argv → validated options, with node:util's parseArgs. Every combination
 * the usage line forbids becomes a UsageError that says which.
 */
import { parseArgs } from 'node:util';
import type { InspectorEndpoint } from '../inspector/session';
import { parseHostPort } from '../inspector/targets';
import { DEFAULT_WALK_OPTIONS, type WalkDirection } from '../protocol/walk';
import { WALK_FORMATS, type WalkFormat } from '../engine/format/index';
import { UsageError } from './errors';
import { parseGrowthCommand, type GrowthCommand } from './growth';
import { parsePathsCommand, type PathsCommand } from './paths';
import { DEFAULT_WATCH_TIMEOUT_SECONDS, type WatchCommand } from './watch';

/** The walk's text renderings, plus an SVG image drawn from the DOT (svg.ts). */
export type OutputFormat = WalkFormat | 'svg';
export const FORMATS: readonly OutputFormat[] = [...WALK_FORMATS, 'svg'];

/** Which object to walk. */
export type Selector = { kind: 'id'; id: number } | { kind: 'class'; className: string; nth: number } | { kind: 'expr'; expression: string };

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | {
      kind: 'walk';
      source: { kind: 'file'; path: string } | { kind: 'connect'; endpoint: InspectorEndpoint };
      selector: Selector;
      depth: number;
      fanOut: number;
      includeWeak: boolean;
      /** Walk what the object holds (objgraph's show_refs) instead of its retainers. */
      direction: WalkDirection;
      format: OutputFormat;
    }
  | GrowthCommand
  | PathsCommand
  | WatchCommand;

/** `stdinIsTerminal`: can a live growth series wait for Enter? */
export function parseCommandLine(argv: readonly string[], { stdinIsTerminal = false }: { stdinIsTerminal?: boolean } = {}): CliCommand {
  if (argv[0] === 'growth' || argv[0] === 'paths') {
    const rest = argv.slice(1);
    if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help' };
    return argv[0] === 'growth' ? parseGrowthCommand(rest, stdinIsTerminal) : parsePathsCommand(rest, stdinIsTerminal);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        id: { type: 'string' },
        class: { type: 'string' },
        nth: { type: 'string' },
        expr: { type: 'string' },
        connect: { type: 'string' },
        depth: { type: 'string' },
        'fan-out': { type: 'string' },
        'include-weak': { type: 'boolean' },
        refs: { type: 'boolean' },
        format: { type: 'string' },
        watch: { type: 'boolean' },
        every: { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw usageErrorOf(error);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  if (positionals.length > 1) throw new UsageError(`expected one snapshot file, got ${positionals.length}: ${positionals.join(' ')}`);
  const watching = values.watch === true;
  if (!watching && (values.every !== undefined || values.timeout !== undefined)) throw new UsageError('--every and --timeout apply to --watch');
  if (watching && values.connect === undefined) throw new UsageError('--watch follows a live process: use it with --connect <host:port>');
  const file = positionals[0];
  if (file !== undefined && values.connect !== undefined) throw new UsageError('give either a snapshot file or --connect, not both');
  if (file === undefined && values.connect === undefined) throw new UsageError('give a snapshot file or --connect <host:port>');

  let source: Extract<CliCommand, { kind: 'walk' }>['source'];
  if (values.connect !== undefined) {
    source = { kind: 'connect', endpoint: parseEndpoint(values.connect) };
  } else {
    source = { kind: 'file', path: file! };
  }

  const chosen = (['id', 'class', 'expr'] as const).filter((name) => values[name] !== undefined);
  if (watching && (chosen.length === 0 || values.class !== undefined)) throw new UsageError('--watch needs --expr "<JS expression>" or --id <N>: the one object to watch');
  if (chosen.length === 0) throw new UsageError(source.kind === 'file' ? 'say which object: --id <N> or --class <Name>' : 'say which object: --expr "<JS expression>", --id <N> or --class <Name>');
  if (chosen.length > 1) throw new UsageError(`give only one of ${chosen.map((name) => `--${name}`).join(', ')}`);
  if (values.expr !== undefined && source.kind === 'file') throw new UsageError('--expr needs a live process: use it with --connect <host:port>');
  if (values.nth !== undefined && values.class === undefined) throw new UsageError('--nth only applies to --class');

  let selector: Selector;
  if (values.id !== undefined) {
    const id = parseObjectId(values.id);
    if (id === null) throw new UsageError(`--id expects a snapshot object id like 12345 or @12345, got "${values.id}"`);
    selector = { kind: 'id', id };
  } else if (values.class !== undefined) {
    if (values.class.trim() === '') throw new UsageError('--class needs a constructor name');
    selector = { kind: 'class', className: values.class, nth: positiveInteger('--nth', values.nth, 1) };
  } else {
    if (values.expr!.trim() === '') throw new UsageError('--expr needs a JavaScript expression');
    selector = { kind: 'expr', expression: values.expr! };
  }

  const format = (values.format ?? 'text') as OutputFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${values.format}"`);

  if (watching && source.kind === 'connect' && selector.kind !== 'class') {
    if (format !== 'text' && format !== 'json') throw new UsageError(`--watch prints text or json, not ${format}`);
    if (values.refs) throw new UsageError('--watch prints what keeps the object alive when it is not collected: --refs does not apply');
    return {
      kind: 'watch',
      endpoint: source.endpoint,
      selector,
      everySeconds: values.every === undefined ? null : positiveSeconds('--every', values.every),
      timeoutSeconds: values.timeout === undefined ? DEFAULT_WATCH_TIMEOUT_SECONDS : positiveSeconds('--timeout', values.timeout),
      format,
      depth: positiveInteger('--depth', values.depth, DEFAULT_WALK_OPTIONS.depth),
      fanOut: positiveInteger('--fan-out', values['fan-out'], DEFAULT_WALK_OPTIONS.fanOut),
      includeWeak: values['include-weak'] ?? false,
    };
  }

  return {
    kind: 'walk',
    source,
    selector,
    depth: positiveInteger('--depth', values.depth, DEFAULT_WALK_OPTIONS.depth),
    fanOut: positiveInteger('--fan-out', values['fan-out'], DEFAULT_WALK_OPTIONS.fanOut),
    includeWeak: values['include-weak'] ?? false,
    direction: values.refs ? 'references' : 'retainers',
    format,
  };
}

/** `12345` or `@12345` (what DevTools shows). */
export function parseObjectId(text: string): number | null {
  const match = /^@?(\d+)$/.exec(text.trim());
  if (!match) return null;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) ? id : null;
}

/** host:port, or the ws:// URL Node prints ("Debugger listening on ws://…"). */
export function parseEndpoint(text: string): InspectorEndpoint {
  const endpoint: InspectorEndpoint | null = /^wss?:\/\//i.test(text) ? { webSocketUrl: text } : parseHostPort(text);
  if (!endpoint) throw new UsageError(`--connect expects host:port (e.g. 127.0.0.1:9229) or a ws:// URL, got "${text}"`);
  return endpoint;
}

/** parseArgs' own messages are clear ("Unknown option '--dept'"); keep them, drop the hint about '--'. */
export function usageErrorOf(error: unknown): UsageError {
  return new UsageError((error instanceof Error ? error.message : String(error)).split('. To specify')[0]);
}

/** Seconds above 0, fractions allowed (`0.5`). */
export function positiveSeconds(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(value > 0)) throw new UsageError(`${flag} expects a number of seconds above 0, got "${text}"`);
  return value;
}

export function positiveInteger(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw new UsageError(`${flag} expects a whole number of at least 1, got "${text}"`);
  return Number(text);
}
