// How the search script reads the words of a query (issue 9), without a browser: everyday
// phrases, weak words, slips of a finger and the words as typed. Folding, i/y and Telex/VNI
// are checked against the Rust side by tests/search_fold.rs.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const s = createRequire(import.meta.url)('../../themes/default/static/search.js');

describe('reading a query', () => {
  it('sets everyday phrases aside and keeps what is asked', () => {
    const read = (q) => s.readQuery(s.words(q)).words.join(' ');
    assert.equal(read('lam the nao de dang ky ket hon'), 'dang ki ket hon');
    assert.equal(read('dang ky ket hon can giay to gi'), 'dang ki ket hon');
    assert.equal(read('nop ho so dang ky ket hon o dau'), 'dang ki ket hon');
    assert.equal(read('thu tuc cap lai can cuoc'), 'cap lai can cuoc', '"can" of căn cước stays');
    assert.equal(read('o dau'), 'o dau', 'a query of everyday words only is kept whole');
  });

  it('marks weak words, which never exclude a procedure', () => {
    const r = s.readQuery(s.words('muon dang ky ket hon thi lam sao'));
    assert.deepEqual(r.words, ['muon', 'dang', 'ki', 'ket', 'hon', 'thi']);
    assert.deepEqual(r.weak, [true, false, false, false, false, true]);
    assert.deepEqual(r.at, [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(s.readQuery(['thi']).weak, [false], 'alone, a weak word is the query');
  });

  it('prices a slip of a finger: neighbours on the keyboard are likelier', () => {
    assert.equal(s.slipCost('khia', 'khai'), 1, 'two letters swapped');
    assert.equal(s.slipCost('giy', 'giay'), 1, 'a letter left out');
    assert.equal(s.slipCost('sinhh', 'sinh'), 1, 'a letter doubled');
    assert.equal(s.slipCost('phrp', 'phep'), 1, 'r is next to e');
    assert.equal(s.slipCost('phap', 'phep'), 1.5, 'a is not next to e');
    assert.equal(s.slipCost('dang', 'dang'), 2, 'the same word is no slip');
    assert.equal(s.slipCost('abcd', 'dcba'), 2);
    assert.equal(s.editDistance('ca', 'abc', 3), 3);
  });

  it('keeps each word as it was typed, for saying how the query was read', () => {
    assert.deepEqual(s.typedWords('Đăng  KÝ, khai-sinh'), ['đăng', 'ký', 'khai', 'sinh']);
    assert.deepEqual(s.typedWords('dang ky'), ['dang', 'ky']);
  });
});
