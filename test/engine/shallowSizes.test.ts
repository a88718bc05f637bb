// DevTools' shallow sizes, and the same computed before a streamed snapshot's
// strings arrive (no node taken for external string data), which holds
// exactly when no native node is `system / ExternalStringData`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { typeCodes } from '../../src/engine/edgeTypes';
import { computeShallowSizes, hasExternalStringData } from '../../src/engine/shallowSizes';
import { SnapshotBuilder } from './helpers/fromJson';

/** globalThis → a string whose characters live in a native store, and an object with its own elements store. */
function heap(storeName: string) {
  return new SnapshotBuilder()
    .node('global', 'object', 'global', 40)
    .node('text', 'concatenated string', 'long text', 20)
    .node('chars', 'native', storeName, 1000)
    .node('holder', 'object', 'Holder', 32)
    .node('elements', 'array', '(object elements)', 64)
    .edge('root', 'element', 1, 'global')
    .edge('global', 'property', 'text', 'text')
    .edge('global', 'property', 'holder', 'holder')
    .edge('text', 'internal', 'data', 'chars')
    .edge('holder', 'internal', 'elements', 'elements')
    .build();
}

test('an external string\'s data is counted in its string, and only the strings tell', () => {
  const data = heap('system / ExternalStringData');
  const codes = typeCodes(data);
  assert.equal(hasExternalStringData(data, codes), true);
  const sizes = [...computeShallowSizes(data, codes)];
  assert.deepEqual(sizes, [16, 40, 1020, 0, 96, 0], 'the store\'s 1000 B moved onto the string, the elements onto Holder');
  const before = [...computeShallowSizes(data, codes, undefined, () => false)];
  assert.deepEqual(before, [16, 40, 20, 1000, 96, 0], 'without the strings the native store keeps its size');
});

test('with no external string data the sizes computed before the strings are the sizes', () => {
  const data = heap('Node / SomeNativeThing');
  const codes = typeCodes(data);
  assert.equal(hasExternalStringData(data, codes), false);
  assert.deepEqual([...computeShallowSizes(data, codes, undefined, () => false)], [...computeShallowSizes(data, codes)]);
});
