import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromHelper, HelperApi, HelperEvent, ToHelper } from '../protocol/helperApi';
import { fillOffered, type PredecessorWindow } from '../engine/predecessorWindows';
import { RpcClient, type ArgsOf, type MethodOf, type ResultOf } from '../protocol/rpc';

/** dist/helper.js next to this bundle; null when absent (the TypeScript sources run by tests), and then one thread does all. */
export function defaultHelperScript(): string | null {
  const script = join(__dirname, 'helper.js');
  return existsSync(script) ? script : null;
}

/**
 * The loading thread's handle on its second thread (whose entry is
 * helperMain.ts): HelperApi calls, answered in order; always stop() it.
 */
export class HelperThread {
  private readonly worker: Worker;
  private readonly rpc: RpcClient<HelperApi, HelperEvent>;
  private stopped = false;

  /** Starts the thread now (it boots in ~30 ms); calls can follow later. */
  constructor(script: string) {
    this.worker = new Worker(script);
    this.rpc = new RpcClient<HelperApi, HelperEvent>((message: ToHelper) => this.worker.postMessage(message), { onEvent: (event) => this.fill(event.fillWindow) });
    this.worker.on('message', (message: FromHelper) => this.rpc.receive(message));
    this.worker.once('error', (error) => this.rpc.dispose(error));
    this.worker.once('exit', (code) => this.rpc.dispose(new Error(`the helper thread exited (${code}) without an answer`)));
  }

  /** The job's answer; rejects if the job fails or the thread dies first. */
  call<K extends MethodOf<HelperApi>>(method: K, ...args: ArgsOf<HelperApi, K>): Promise<ResultOf<HelperApi, K>> {
    const answer = this.rpc.call(method, ...args);
    answer.catch(() => undefined); // awaited later, if at all
    return answer;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.worker.terminate();
  }

  /**
   * Fills a window of the helper's dominator tree, in slices between which
   * this thread answers what else it is asked (the helper waits for the
   * window only once it needs it, and fills it itself if this thread has not begun).
   */
  private fill(window: PredecessorWindow): void {
    const steps = fillOffered(window);
    const step = (): void => {
      if (!this.stopped && !steps.next().done) setImmediate(step);
    };
    step();
  }
}
