import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HelperJob } from './helperMain';

/** dist/helper.js next to this bundle; null when absent (the TypeScript sources run by tests), and then one thread does all. */
export function defaultHelperScript(): string | null {
  const script = join(__dirname, 'helper.js');
  return existsSync(script) ? script : null;
}

/**
 * A second thread (its entry: src/loading/helperMain.ts) that runs the jobs it is given
 * one after another and answers each in order; always stop() it.
 */
export class HelperThread {
  private readonly worker: Worker;
  private readonly waiting: Array<{ resolve: (reply: unknown) => void; reject: (error: Error) => void }> = [];
  private failure: Error | undefined;

  /** Starts the thread now (it boots in ~30 ms); jobs can follow later. */
  constructor(script: string) {
    this.worker = new Worker(script);
    this.worker.on('message', (reply: unknown) => this.waiting.shift()?.resolve(reply));
    const fail = (error: Error): void => {
      this.failure = error;
      for (const job of this.waiting.splice(0)) job.reject(error);
    };
    this.worker.once('error', fail);
    this.worker.once('exit', (code) => fail(new Error(`the helper thread exited (${code}) without an answer`)));
  }

  /** The job's reply (typed by the caller: see helperMain.ts); rejects if the thread dies first. */
  run<Reply>(job: HelperJob): Promise<Reply> {
    const reply = new Promise<Reply>((resolve, reject) => {
      if (this.failure) reject(this.failure);
      else this.waiting.push({ resolve: resolve as (reply: unknown) => void, reject });
    });
    reply.catch(() => undefined); // awaited later, if at all
    this.worker.postMessage(job);
    return reply;
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
