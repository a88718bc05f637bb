// Every expression the docs and the input boxes show as an example evaluates
// to an object in the demo bot server they are written for: the extension's
// placeholders, and the expressions in the README's and the demo README's
// walkthroughs. The demo really runs under --inspect; the expressions go
// through the same inspector session the extension uses.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InspectorSession } from '../../src/inspector';
import { GLOBAL_EXPRESSION_EXAMPLE } from '../../src/extension/examples';
import { startInspected, type InspectedProcess } from './helpers/target';

const root = join(__dirname, '..', '..');
const demo = join(root, 'demo');

/** Expressions written in a markdown file as inline code that reach into the demo's modules. */
function documentedExpressions(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/`(process\.mainModule\.require\([^`]+)`/g)].map((match) => match[1]);
}

let target: InspectedProcess;

before(async () => {
  target = await startInspected(join(demo, 'server.js'), { env: { PORT: '0', BOT_INTERVAL_MS: '100000' }, readyLine: null });
  // Running its top-level code: bot1 is loaded at once.
  for (;;) {
    const session = await InspectorSession.connect({ webSocketUrl: target.webSocketUrl });
    try {
      await session.evaluate('process.mainModule.require("./lib/processor").Processor.instanceMap.get("bot1")');
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await session.close();
    }
  }
});

after(() => target?.kill());

async function evaluates(expression: string): Promise<string | undefined> {
  const session = await InspectorSession.connect({ webSocketUrl: target.webSocketUrl });
  try {
    return (await session.evaluate(expression)).className;
  } finally {
    await session.close();
  }
}

test('the input boxes\' example evaluates to a Processor in the demo', async () => {
  assert.equal(await evaluates(GLOBAL_EXPRESSION_EXAMPLE), 'Processor');
});

test('the READMEs\' expressions evaluate in the demo to a ResourceLoader', async () => {
  const expressions = [...documentedExpressions(join(root, 'README.md')), ...documentedExpressions(join(demo, 'README.md'))];
  assert.ok(expressions.length >= 2, `the READMEs show expressions: ${expressions.join(' | ')}`);
  for (const expression of expressions) assert.equal(await evaluates(expression), 'ResourceLoader', expression);
});

test('the VS Code walkthrough\'s example evaluates in the demo to Processor.instanceMap', async () => {
  const expressions = documentedExpressions(join(root, 'media', 'walkthrough', 'attach.md'));
  assert.equal(expressions.length, 1);
  assert.equal(await evaluates(expressions[0]), 'Map');
});
