import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromHelper, HelperApi, ToHelper } from '../protocol/helperApi';
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
  private readonly rpc: RpcClient<HelperApi, never>;

  /** Starts the thread now (it boots in ~30 ms); calls can follow later. */
  constructor(script: string) {
    this.worker = new Worker(script);
    this.rpc = new RpcClient<HelperApi, never>((message: ToHelper) => this.worker.postMessage(message));
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
    await this.worker.terminate();
  }
}
