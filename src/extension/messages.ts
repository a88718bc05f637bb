/** What the user is told (notifications) and what the output channel records (steps and timings). */
import * as vscode from 'vscode';
import { describeError, isCancellation } from './errors';

type Severity = 'error' | 'info' | 'warning';

/** Shows messages and keeps the last ones for the test API. */
export class MessageLog {
  readonly shown: { severity: Severity; text: string }[] = [];

  error(error: unknown): void {
    if (isCancellation(error)) {
      this.record('info', 'Cancelled.');
      return;
    }
    const text = describeError(error);
    this.record('error', text);
    void vscode.window.showErrorMessage(`Retainer Graph: ${text}`);
  }

  info(text: string): void {
    this.record('info', text);
    void vscode.window.showInformationMessage(`Retainer Graph: ${text}`);
  }

  warning(text: string): void {
    this.record('warning', text);
    void vscode.window.showWarningMessage(`Retainer Graph: ${text}`);
  }

  private record(severity: Severity, text: string): void {
    this.shown.push({ severity, text });
    if (this.shown.length > 50) this.shown.shift();
  }
}

/** The "Retainer Graph" output channel: what happened and how long each step took. */
export class ActivityLog implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Retainer Graph', { log: true });
  readonly lines: string[] = [];
  /** When named moments last happened (epoch ms): what latency measurements start and end at. */
  readonly marks = new Map<string, number>();

  info(text: string): void {
    this.channel.info(text);
    this.lines.push(text);
    if (this.lines.length > 200) this.lines.shift();
  }

  mark(name: string, at = Date.now()): void {
    this.marks.set(name, at);
  }

  /** Runs `work`, logging how long it took under `step`. */
  async time<T>(step: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      return await work();
    } finally {
      this.info(`${step}: ${Date.now() - started} ms`);
    }
  }

  dispose(): void {
    this.channel.dispose();
  }
}
