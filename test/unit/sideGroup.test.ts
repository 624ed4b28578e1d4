// Where Show Values and Show Loss Curve open: one group beside the notebook, the same one
// each time, however focus moved meanwhile.
import '../fakes/useFakeVscode';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sideColumn } from '../../src/host/panel/sideGroup';

describe('sideColumn', () => {
  it('opens the first panel document right of the notebook', () => {
    assert.equal(sideColumn(1, []), 2);
    assert.equal(sideColumn(2, []), 3);
    assert.equal(sideColumn(undefined, []), 2);
  });

  it('puts later ones with the first, never in a new group', () => {
    assert.equal(sideColumn(1, [2]), 2);
    assert.equal(sideColumn(1, [undefined, 2, 2]), 2);
    // The user moved the loss curve to the left of the notebook: it stays the panel's group.
    assert.equal(sideColumn(2, [1]), 1);
  });

  it('never opens one over the notebook itself', () => {
    assert.equal(sideColumn(1, [1]), 2);
  });
});
