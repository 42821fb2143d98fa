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

  it('formats from an AST', () => {
    assert.equal(format(parse('dense   10\n').file), 'dense 10\n');
  });

  it('formats v2: names, inputs, merges, blocks indented two spaces, maps and arithmetic', () => {
    const messy = [
      'input image 28x28x1   # pixels',
      'input  meta 10',
      'block residual( filters,stride = 1 )   {   # one input',
      '      conv filters 3 strides=stride padding=same->batchnorm',
      '  # second conv',
      '',
      '',
      '  conv filters 3 padding=same ->add [ _,in ] -> activation relu',
      '',
      '}  # end',
      'block fuse[a,b](units){',
      'concat [a, b]->dense units * 2 relu',
      '}',
      'block stem() {',
      '  conv 16 ( 3 )',
      '}',
      'context=meta->dense ( 16 ) relu',
      'x = concat [image, context] -> residual 4 * ( a + b ) repeat=3 -> fuse [ _, x ] (a-(b-c))/2',
      'output x  y',
      'compile loss={x: categorical_crossentropy( from_logits=true ) ,y:mse,} loss_weights={ x: 1, y: 0.5 }',
    ].join('\n');
    assert.equal(
      fmt(messy),
      [
        'input image 28x28x1  # pixels',
        'input meta 10',
        'block residual(filters, stride=1) {  # one input',
        '  conv filters 3 strides=stride padding=same -> batchnorm',
        '  # second conv',
        '',
        '  conv filters 3 padding=same -> add [_, in] -> activation relu',
        '}  # end',
        'block fuse[a, b](units) {',
        '  concat [a, b] -> dense units*2 relu',
        '}',
        'block stem {',
        '  conv 16 3',
        '}',
        'context = meta -> dense 16 relu',
        'x = concat [image, context] -> residual 4*(a+b) repeat=3 -> fuse [_, x] (a-(b-c))/2',
        'output x y',
        'compile loss={x: categorical_crossentropy(from_logits=true), y: mse} loss_weights={x: 1, y: 0.5}',
        '',
      ].join('\n'),
    );
  });

  it('keeps line breaks after `->`, indenting continuation lines, and joins the rest, moving their comments above', () => {
    const source = [
      'features = image -> conv 32 3 relu ->   # stem',
      '  # pooling next',
      '          maxpool 2 ->',
      '  flatten',
      'block b {',
      '  x = _ ->',
      '      dense 10',
      '}',
      'compile loss={cls: mse,   # classes',
      '              box: mae}   # boxes',
      'concat [a,  # first',
      '        b] -> dense 10',
    ].join('\n');
    const once = fmt(source);
    assert.equal(
      once,
      [
        'features = image -> conv 32 3 relu ->  # stem',
        '    # pooling next',
        '    maxpool 2 ->',
        '    flatten',
        'block b {',
        '  x = _ ->',
        '      dense 10',
        '}',
        '# classes',
        'compile loss={cls: mse, box: mae}  # boxes',
        '# first',
        'concat [a, b] -> dense 10',
        '',
      ].join('\n'),
    );
    assert.equal(fmt(once), once);
    assert.deepEqual(meaning(parse(once).file).statements, meaning(parse(source).file).statements);
  });

  it('writes only the parentheses that change the arithmetic', () => {
    assert.equal(fmt('dense (a*b)+c a*(b+c) (a-b)-c a-(b-c) a/(b*c) (a/b)*c a*(b/c) ((5))\n'), 'dense a*b+c a*(b+c) a-b-c a-(b-c) a/(b*c) a/b*c a*(b/c) 5\n');
  });
});

