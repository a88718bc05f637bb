/**
 * Progress on stderr, only when stderr is a terminal: pipes and test logs get
 * nothing but the result (and, on failure, the one-line reason).
 */
export interface Progress {
  update(message: string, fraction?: number): void;
  done(): void;
}

export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let last = '';
  let lastAt = 0;
  return {
    update(message, fraction) {
      const text = fraction === undefined ? message : `${message} ${Math.floor(Math.min(1, fraction) * 100)}%`;
      const now = Date.now();
      if (text === last || now - lastAt < 100) return;
      last = text;
      lastAt = now;
      stream.write(`\r\u001b[K${text}`);
    },
    done() {
      if (last) stream.write('\r\u001b[K');
      last = '';
    },
  };
}
