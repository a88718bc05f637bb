import type * as vscode from 'vscode';

/** Owns resources and releases them, last registered first, on dispose (vscode-hexeditor's pattern). */
export abstract class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private disposedFlag = false;

  protected _register<T extends vscode.Disposable>(value: T): T {
    if (this.disposedFlag) value.dispose();
    else this.owned.push(value);
    return value;
  }

  get isDisposed(): boolean {
    return this.disposedFlag;
  }

  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    for (const value of this.owned.splice(0).reverse()) {
      try {
        value.dispose();
      } catch {
        // One failing release must not keep the others from running.
      }
    }
  }
}
