/** The CLI's usage text: the stable contract users and tests script against (issue 2 §5). */
import { DEFAULT_WALK_OPTIONS } from '../protocol/walk';

export const USAGE_LINE =
  'usage: retainer-graph <file.heapsnapshot> (--id <N> | --class <Name> [--nth <k>]) [options]\n' +
  '       retainer-graph --connect <host:port> (--expr "<JS expression>" | --id <N> | --class <Name> [--nth <k>]) [options]';

export const HELP = `${USAGE_LINE}

What keeps this object alive? Walks the retainers of one object in a V8 heap
snapshot back to the GC roots (objgraph's show_backrefs) and prints the chain.

Pick the object:
  --id <N>            snapshot object id, as DevTools shows it (@12345 or 12345)
  --class <Name>      an instance of this constructor, closest to a root first
  --nth <k>           with --class: the k-th instance (1 = closest to a root; default 1)
  --expr "<JS>"       with --connect: evaluate this in the process and walk its value

Where the heap comes from:
  <file.heapsnapshot> a snapshot written by DevTools, v8.writeHeapSnapshot() or --heapsnapshot-signal,
                      or one compressed with gzip (.heapsnapshot.gz)
  --connect <host:port>
                      attach to a process started with --inspect (e.g. 127.0.0.1:9229,
                      or the ws:// URL it printed),
                      take a snapshot, and leave the process as it was

Walk:
  --depth <N>         levels of retainers above the object (default ${DEFAULT_WALK_OPTIONS.depth})
  --fan-out <N>       retainers shown per object, closest to a root first (default ${DEFAULT_WALK_OPTIONS.fanOut})
  --refs              walk what the object holds instead (objgraph's show_refs):
                      its references, depth levels down, Map entries as get(key)
  --include-weak      follow weak references too (WeakRef targets, WeakMap slots);
                      a WeakMap entry, which holds its value while both its key
                      and its map live, is shown either way
  --format <f>        text (default), json (the Walk contract) or dot (Graphviz)

  -h, --help          show this help
  -v, --version       print the version

Exit status: 0 on success, 1 when the walk could not be made (the reason is
printed on stderr), 2 on bad usage.

Examples:
  retainer-graph app.heapsnapshot --class ResourceLoader
  retainer-graph app.heapsnapshot --id @71711 --format dot | dot -Tsvg > chain.svg
  retainer-graph --connect 127.0.0.1:9229 --expr 'Processor.instanceMap.get("bot3")'
`;
