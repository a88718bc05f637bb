/** Text formatting for node labels: sizes the way DevTools prints them, truncated previews. */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.5 KB"; DevTools uses 1024-based units too. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** Cuts a string to `max` characters with an ellipsis; newlines become spaces so a label stays one line. */
export function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

export function formatId(id: number): string {
  return `@${id}`;
}

/** 1200 → "1,200", the same in every locale so tests and screenshots read alike. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A change: "+1.5 KB", "−512 B" (a real minus sign), "0 B". */
export function formatSignedBytes(bytes: number): string {
  if (bytes === 0) return '0 B';
  return `${bytes > 0 ? '+' : '−'}${formatBytes(Math.abs(bytes))}`;
}

/** A change in a count: "+400", "−12", "0". */
export function formatSignedCount(n: number): string {
  if (n === 0) return '0';
  return `${n > 0 ? '+' : '−'}${formatCount(Math.abs(n))}`;
}

/** 0.95 → "95 %" (DevTools' and the CLI's spacing). */
export function formatPercent(share: number): string {
  return `${Math.round(share * 100)} %`;
}
