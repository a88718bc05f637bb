// Debian's Chromium driven by playwright-core (Playwright's own browser
// download is unreachable here; see docs real-vscode-offline.md).
import { chromium, type Browser } from 'playwright-core';

export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
  '--disable-dev-shm-usage',
];

export function launchChromium(executablePath: string, options: { headless?: boolean } = {}): Promise<Browser> {
  return chromium.launch({ executablePath, headless: options.headless ?? true, args: chromiumArgs });
}
