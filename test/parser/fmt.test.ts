import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { format, formatSource } from '../../src/parser/fmt.js';
import { parse } from '../../src/parser/parse.js';
import { meaning } from './helpers.js';

function fmt(source: string): string {
  const r = formatSource(source);
  assert.deepEqual(r.diagnostics, []);
  return r.text!;
}

describe('fmt', () => {
  it('lays out a messy file canonically, keeping comments', () => {
    const messy = [
      '',
      '',
      '   # MNIST CNN   ',
      'model   mnist_cnn',
      '',
      '',
      '',
      'input\t28x28x1     # images',
      '  conv 32   5x5 relu   strides = 1->maxpool 2',
      'flatten',
      '      # the classifier',
      'dense 128 relu#hidden',
      'dense 10 softmax   ',
      '',
      'compile loss=categorical_crossentropy optimizer=adam( lr=1e-4 ,beta_1=0.9 ) metrics=[ accuracy,mse, ]',
      'fit epochs=5 batch=128 validation_split=.1',
      '',
      '',
    ].join('\r\n');
    assert.equal(
      fmt(messy),
      [
        '# MNIST CNN',
        'model mnist_cnn',
        '',
        'input 28x28x1  # images',
        'conv 32 5x5 relu strides=1 -> maxpool 2',
        'flatten',
        '# the classifier',
        'dense 128 relu  #hidden',
        'dense 10 softmax',
        '',
        'compile loss=categorical_crossentropy optimizer=adam(lr=1e-4, beta_1=0.9) metrics=[accuracy, mse]',
        'fit epochs=5 batch=128 validation_split=.1',
        '',
      ].join('\n'),
    );
  });

  it('keeps numbers as written and calls with positional arguments', () => {
    assert.equal(fmt('compile optimizer=sgd(0.01,momentum=0.9)  loss=mse\n'), 'compile optimizer=sgd(0.01, momentum=0.9) loss=mse\n');
    assert.equal(fmt('dense 10 x=1E-04 y=-1 z=?x16 w=[]\n'), 'dense 10 x=1E-04 y=-1 z=?x16 w=[]\n');
  });

  it('ends the file with exactly one newline, and gives nothing for an empty file', () => {
    assert.equal(fmt('input 784'), 'input 784\n');
    assert.equal(fmt('input 784\n\n\n'), 'input 784\n');
    assert.equal(fmt(''), '');
    assert.equal(fmt('\n\n  \n'), '');
    assert.equal(fmt('#only a comment'), '#only a comment\n');
  });

  it('does not format a file with syntax errors', () => {
    const r = formatSource('dense 10\ndense )\n');
    assert.equal(r.text, undefined);
    assert.equal(r.diagnostics.length, 1);
  });

  it('is idempotent and keeps the meaning on the tutorial example', () => {
    const source =
      'model m\ninput 28x28x1\nconv 32 5x5 relu\nconv 64 5x5 relu -> maxpool 2\nflatten\ndense 10 softmax\ncompile loss=categorical_crossentropy optimizer=rmsprop metrics=[accuracy]\n';
    const once = fmt(source);
    assert.equal(once, source);
    assert.equal(fmt(once), once);
    assert.deepEqual(meaning(parse(once).file), meaning(parse(source).file));
  });

  it('formats from an AST and its source', () => {
    const source = 'dense   10\n';
    assert.equal(format(parse(source).file, source), 'dense 10\n');
  });
});
