#!/usr/bin/env node
/**
 * The mlc command line with every command. Commands that run models load
 * TensorFlow.js lazily, so check / summary / ir / fmt start fast; the
 * installed `mlc` (./bin.cts) runs those four from a bundle instead.
 */
import { register as emit } from './commands/emit.js';
import { register as exportModel } from './commands/export.js';
import { register as evaluate } from './commands/evaluate.js';
import { register as graph } from './commands/graph.js';
import { register as lsp } from './commands/lsp.js';
import { register as predict } from './commands/predict.js';
import { register as train } from './commands/train.js';
import { FRONT_END_COMMANDS } from './front-end.js';
import { buildProgram, runProgram } from './program.js';

void runProgram(buildProgram([...FRONT_END_COMMANDS, graph, emit, train, evaluate, predict, exportModel, lsp]));
