import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HelperJob } from './helperThread';

/** dist/helper.js next to this bundle; null when absent (the TypeScript sources run by tests), and then one thread does all. */
export function defaultHelperScript(): string | null {
  const script = join(__dirname, 'helper.js');
  return existsSync(script) ? script : null;
}

/** One job on a second thread (src/worker/helperThread.ts); always stop() it. */
export class HelperThread<Reply> {
  private readonly worker: Worker;
  private readonly reply: Promise<Reply>;
  private posted = false;

  /** Starts the thread now (it boots in ~30 ms); the job can follow later. */
  constructor(script: string) {
    this.worker = new Worker(script);
    this.reply = new Promise((resolve, reject) => {
      this.worker.once('message', resolve);
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`the helper thread exited (${code}) without an answer`)));
    });
    this.reply.catch(() => undefined); // awaited later, if at all
  }

  get started(): boolean {
    return this.posted;
  }

  run(job: HelperJob): Promise<Reply> {
    this.worker.postMessage(job);
    this.posted = true;
    return this.reply;
  }

  async result(): Promise<Reply> {
    if (!this.posted) throw new Error('the helper thread was given no job');
    return this.reply;
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
