/**
 * The expressions the input boxes show as examples. They are written for the
 * demo bot server the README walks through, and a test evaluates each one
 * against it (test/inspector/examples.test.ts): an example that throws
 * teaches the wrong thing. No vscode here, so that plain-Node test can import it.
 */

/**
 * Evaluated in the global scope, where a CommonJS program's own modules are
 * reached through the main module (`require` itself is not a global there).
 */
export const GLOBAL_EXPRESSION_EXAMPLE = `process.mainModule.require('./lib/processor').Processor.instanceMap.get('bot1')`;
