// Rasterizes media/icon.svg to media/icon.png (128×128, what the Marketplace
// and the Extensions view show) with the system Chromium.
// Run: node --import tsx scripts/render-icon.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../test/harness/browser';

async function main(): Promise<void> {
  const media = join(__dirname, '..', 'media');
  const svg = readFileSync(join(media, 'icon.svg'), 'utf8');
  const browser = await launchChromium(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');
  try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    const png = await page.locator('svg').screenshot({ omitBackground: true });
    writeFileSync(join(media, 'icon.png'), png);
    console.log(`wrote media/icon.png (${png.length} bytes)`);
  } finally {
    await browser.close();
  }
}

void main();
