// Where tests save the screenshots they take: test-results/ is ignored by git,
// so a test run never rewrites a committed file. `npm run screenshots`
// (scripts/screenshots.mjs) copies the ones the README shows into media/screenshots/.
import { join, resolve } from 'node:path';

export const screenshotsDir = join(resolve(__dirname, '..', '..'), 'test-results', 'screenshots');
