/** The CLI's usage text: the stable contract users and tests script against. */
import { DEFAULT_WALK_OPTIONS } from '../protocol/walk';
import { DEFAULT_WATCH_TIMEOUT_SECONDS } from './watch';

export const USAGE_LINE =
  'usage: retainer-graph <file.heapsnapshot> (--id <N> | --class <Name> [--nth <k>]) [options]\n' +
  '       retainer-graph --connect <host:port> (--expr "<JS expression>" | --id <N> | --class <Name> [--nth <k>]) [options]\n' +
  '       retainer-graph --connect <host:port> (--expr "<JS expression>" | --id <N>) --watch [--every <seconds>] [--timeout <seconds>]\n' +
  '       retainer-graph growth <first.heapsnapshot> <next.heapsnapshot> [<more.heapsnapshot>…] [--top N] [--format text|json]\n' +
  '       retainer-graph growth --connect <host:port> [--count N] [--every <seconds>] [--allocations] [--top N] [--format text|json]\n' +
  '       retainer-graph paths <file.heapsnapshot> --class <Name> [--new-since <first.heapsnapshot>] [--by path|allocation] [--top N] [--format text|json|dot|svg]\n' +
  '       retainer-graph paths --connect <host:port> --class <Name> [--new [--every <seconds>]] [--by path|allocation] [--top N] [--format text|json|dot|svg]';

export const HELP = `${USAGE_LINE}

What keeps this object alive? Walks the retainers of one object in a V8 heap
snapshot back to the GC roots (objgraph's show_backrefs) and prints the chain.

Pick the object:
  --id <N>            snapshot object id, as DevTools shows it (@12345 or 12345)
  --class <Name>      an instance of this constructor, closest to a root first
                      (a prototype V8 names after the class, as URL.prototype, comes last)
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
  --format <f>        text (default), json (the Walk contract), dot (Graphviz's language)
                      or svg (an image drawn by Graphviz built in; nothing to install)

Did the fix free it? (watch until collected)
  --watch             with --connect and --expr or --id: check the object until it is
                      collected (exit 0) or --timeout passes (exit 1, printing what keeps it
                      alive, from a snapshot taken then). --expr costs one heap snapshot at the
                      start, to learn the object's id; each check is a full GC and a lookup.
                      The object is never kept alive by the watch. Ctrl-C stops it and leaves
                      the process as it was. --format text or json.
    --every <seconds> time between checks (default: 1 s, or ten times as long as a check
                      takes when that is longer, so checks cost the process under a tenth of its time)
    --timeout <seconds>
                      how long to wait for the collection (default ${DEFAULT_WATCH_TIMEOUT_SECONDS})
  --id <N> --watch    an id from a snapshot whose inspector session is still open (DevTools,
                      VS Code): ids die with the session that took the snapshot

What grew (growth), and why all of them are alive (paths):
  growth <first> <next> [<more>…]
                      snapshots of ONE process, oldest first: leak suspects (collections
                      and classes that grew at every step), every class that changed
                      (count, new, deleted, sizes) and the collections that grew
  growth --connect <host:port>
                      take the snapshots live, over one inspector session
    --count <N>       how many (default 2; 3 or more tell a leak from a batch that comes and goes)
    --every <seconds> time between them (default: wait for Enter; needed when stdin is no terminal)
    --retained-sizes  also compute retained sizes in every snapshot (slower, more memory)
    --allocations     record allocation stacks from the first snapshot on, to name where each
                      class was allocated; the last snapshot stops it. Off by default: V8 then
                      records a stack at every allocation (the demo server's bot loading took
                      about 65 times the CPU) and keeps a core partly busy even when the
                      program is idle (docs/live.md)
  paths <file> --class <Name>
                      the shortest paths of every instance, merged (Eclipse MAT's merge
                      shortest paths): how many objects each path keeps, and what they retain
    --new-since <first>
                      only instances allocated after an older snapshot of the same process
    --by allocation   split each path by where its objects were allocated (the snapshot must
                      carry allocation stacks: DevTools' "Allocation instrumentation on
                      timeline"); --by path (default) merges them
  paths --connect <host:port> --class <Name>
                      the same in a live process: one snapshot, then the session is closed
    --new             only instances allocated between two snapshots over one session
    --every <seconds> time between them (default: wait for Enter; needed when stdin is no terminal)
    --by allocation   with --new: V8 records allocation stacks from the first snapshot until
                      the second, and each path is split by where its objects were allocated
                      (V8's GC drops the stack of an object it moves: node --no-compact keeps them)
  --top <N>           rows shown per list in text, dot and svg (default 10; json has all)

  -h, --help          show this help
  -v, --version       print the version

Exit status: 0 on success, 1 when the walk could not be made (the reason is
printed on stderr), 2 on bad usage (growth: fewer than two snapshots, or not
oldest first; paths: a --new-since snapshot that is not older, or of another process).
--watch: 0 when the object was collected, 1 when it is still alive after --timeout.

Examples:
  retainer-graph app.heapsnapshot --class ResourceLoader
  retainer-graph app.heapsnapshot --class ResourceLoader --format svg > chain.svg
  retainer-graph --connect 127.0.0.1:9229 --expr 'process.mainModule.require("./lib/processor").Processor.instanceMap.get("bot1")'
  retainer-graph paths app.heapsnapshot --class ResourceLoader
  retainer-graph paths --connect 127.0.0.1:9229 --class ResourceLoader
`;
