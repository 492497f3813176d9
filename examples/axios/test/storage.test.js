// The storages need no server: they only have to agree on one small contract.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { localStorageStorage, memoryStorage } from '../api.js';

/** The part of the Web Storage API that localStorageStorage uses. */
function fakeWebStorage() {
  const items = new Map();
  return {
    items,
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
  };
}

for (const [name, make] of [
  ['memoryStorage', () => memoryStorage()],
  ['localStorageStorage', () => localStorageStorage('notes.', fakeWebStorage())],
]) {
  describe(`${name} (shared contract)`, () => {
    it('starts empty, keeps both tokens, clears them', () => {
      const storage = make();
      assert.equal(storage.get(), null);
      storage.set({ access: 'a1', refresh: 'r1' });
      assert.deepEqual(storage.get(), { access: 'a1', refresh: 'r1' });
      storage.set({ access: 'a2', refresh: 'r2' });
      assert.deepEqual(storage.get(), { access: 'a2', refresh: 'r2' });
      storage.clear();
      assert.equal(storage.get(), null);
    });
  });
}

describe('localStorageStorage', () => {
  it('namespaces its keys with the prefix', () => {
    const web = fakeWebStorage();
    localStorageStorage('app1.', web).set({ access: 'a', refresh: 'r' });
    assert.deepEqual([...web.items.keys()].sort(), ['app1.access', 'app1.refresh']);
    assert.equal(localStorageStorage('app2.', web).get(), null);
  });

  it('refuses to run where there is no localStorage', () => {
    assert.throws(() => localStorageStorage('x.', null), /localStorage is not available/);
  });
});

describe('memoryStorage', () => {
  it('does not share state between instances or hand out its own object', () => {
    const first = memoryStorage();
    const second = memoryStorage();
    const tokens = { access: 'a', refresh: 'r' };
    first.set(tokens);
    tokens.access = 'changed';
    assert.equal(first.get().access, 'a');
    assert.equal(second.get(), null);
  });
});
