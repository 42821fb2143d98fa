/**
 * `--data csv:FILE`: a table with a header row and numeric features; one
 * column (`--label NAME`, default the last) holds the label. Labels that are
 * not numbers are class names: sorted, they become class indices 0, 1, ...
 * A column named by `--sample-weight NAME` holds each row's weight in the
 * loss (Keras's sample_weight) and is not a feature either.
 */
import { parse } from 'csv-parse/sync';
import { suggest } from './suggest.js';
import { DataError, lineSpan } from './errors.js';
import { readText } from './files.js';
import { checkTokenId } from './tokens.js';
import type { DataRequest, RecordRef, Samples } from './types.js';

interface Row {
  cells: string[];
  line: number;
}

function readRows(file: string): Row[] {
  try {
    const records = parse(readText(file), {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true, // counted below, with a better message
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return records.map((r) => ({ cells: r.record, line: r.info.lines }));
  } catch (e) {
    if (e instanceof DataError) throw e;
    const line = (e as { lines?: number }).lines;
    throw new DataError(`not valid CSV: ${(e as Error).message}`, {
      file,
      record: line ? `line ${line}` : undefined,
      span: line ? lineSpan(line) : undefined,
      help: 'check the quotes on that line; a cell with a comma must be quoted "like, this"',
    });
  }
}

/** A finite number, or undefined for anything else (including an empty cell). */
function parseNumber(cell: string): number | undefined {
  if (cell === '') return undefined;
  const n = Number(cell);
  return Number.isFinite(n) ? n : undefined;
}

function columnIndex(header: string[], wanted: string, role: string, file: string): number {
  const index = header.indexOf(wanted);
  if (index >= 0) return index;
  const guess = suggest(wanted, header);
  throw new DataError(`no column named \`${wanted}\` for the ${role}`, {
    file,
    span: lineSpan(1),
    help: `${guess ? `did you mean \`${guess}\`? ` : ''}the columns are ${header.map((h) => `\`${h}\``).join(', ')}`,
  });
}

/** Labels as numbers; class names when a classification loss meets a column of words. */
function parseLabels(rows: Row[], labelIndex: number, req: DataRequest, ref: (i: number) => RecordRef, header: string[]) {
  const cells = rows.map((r) => r.cells[labelIndex]);
  const numbers = cells.map(parseNumber);
  const firstWord = numbers.findIndex((n) => n === undefined);
  if (firstWord < 0) return { labels: Float64Array.from(numbers as number[]) };
  // A blank, NaN or a word among numeric labels is a mistake in that row, not a column of class names.
  const firstNumber = numbers.findIndex((n) => n !== undefined);
  const firstBlank = cells.findIndex((c) => c === '');
  const wordCount = numbers.filter((n) => n === undefined).length;
  const mostlyNumbers = wordCount * 2 <= numbers.length;
  const odd = firstBlank >= 0 ? firstBlank : firstNumber < 0 ? -1 : mostlyNumbers ? firstWord : firstNumber;
  if (odd >= 0) {
    const r = ref(odd);
    const others = firstNumber < 0 ? '' : mostlyNumbers ? ', but the other labels are numbers' : ', but the other labels are class names';
    throw new DataError(`the label in ${r.record} is ${cells[odd] === '' ? 'empty' : `\`${cells[odd]}\``}${others}`, {
      file: r.file,
      record: r.record,
      span: lineSpan(r.line!),
      help: `fill in or remove that row (column \`${header[labelIndex]}\`)`,
    });
  }
  if (req.labelMode === 'regression') {
    const r = ref(firstWord);
    throw new DataError(`the label \`${cells[firstWord]}\` in ${r.record} is not a number, which a regression loss needs`, {
      file: r.file,
      record: r.record,
      span: lineSpan(r.line!),
      help: `check the \`${header[labelIndex]}\` column, or pick another with --label`,
    });
  }
  const classNames = req.classNames ?? [...new Set(cells)].sort();
  const index = new Map(classNames.map((name, i) => [name, i]));
  const unknown = cells.findIndex((c) => !index.has(c));
  if (unknown >= 0) {
    const r = ref(unknown);
    throw new DataError(`the label \`${cells[unknown]}\` in ${r.record} is not one of the model's classes`, {
      file: r.file,
      record: r.record,
      span: lineSpan(r.line!),
      help: `the model knows ${classNames.map((c) => `\`${c}\``).join(', ')}`,
    });
  }
  return { labels: Float64Array.from(cells, (c) => index.get(c)!), classNames };
}

export function loadCsvSamples(file: string, req: DataRequest): { samples: Samples; classNames?: string[]; labelColumn?: string; weightColumn?: string } {
  const rows = readRows(file);
  if (rows.length === 0) {
    throw new DataError('the file is empty', { file, help: 'a CSV file needs a header row and one row per sample' });
  }
  const [headerRow, ...data] = rows;
  const header = headerRow.cells;
  if (data.length === 0) {
    throw new DataError('the file has a header but no data rows', { file, help: 'add one row per sample below the header' });
  }
  const weightIndex = req.weightColumn === undefined ? -1 : columnIndex(header, req.weightColumn, 'sample weights', file);
  const labelIndex = req.noLabels ? -1 : req.labelColumn !== undefined ? columnIndex(header, req.labelColumn, 'label', file)
    // The default label column is the last one that is not the weights.
    : weightIndex === header.length - 1 ? header.length - 2 : header.length - 1;
  if (labelIndex >= 0 && labelIndex === weightIndex) {
    throw new DataError(`column \`${header[labelIndex]}\` cannot be both the label and the sample weights`, { file, span: lineSpan(1), help: 'name another column with --label or --sample-weight' });
  }
  const featureCount = header.length - (weightIndex >= 0 ? 1 : 0) - (labelIndex >= 0 ? 1 : 0);
  if (featureCount <= 0) {
    throw new DataError(`the file has only ${[labelIndex >= 0 ? 'a label column' : '', weightIndex >= 0 ? 'a weight column' : ''].filter(Boolean).join(' and ')}, no features`, { file, span: lineSpan(1), help: 'add feature columns' });
  }
  const ref = (i: number): RecordRef => ({ file, record: `row ${i + 1}`, line: data[i].line });
  const weights = weightIndex >= 0 ? new Float64Array(data.length) : undefined;

  const features = req.inputDtype === 'int32' ? new Int32Array(data.length * featureCount) : new Float32Array(data.length * featureCount);
  data.forEach((row, i) => {
    if (row.cells.length !== header.length) {
      throw new DataError(`row ${i + 1} has ${row.cells.length} columns; the header has ${header.length}`, {
        file,
        record: `row ${i + 1}`,
        span: lineSpan(row.line),
        help: 'every row needs one cell per header column; quote cells that contain commas',
      });
    }
    let k = i * featureCount;
    row.cells.forEach((cell, c) => {
      if (c === labelIndex) return;
      if (c === weightIndex) {
        const w = parseNumber(cell);
        if (w === undefined || w < 0) {
          throw new DataError(`row ${i + 1}, column \`${header[c]}\`: the sample weight ${cell === '' ? 'is empty' : `\`${cell}\` is not a number ≥ 0`}`, {
            file, record: `row ${i + 1}`, span: lineSpan(row.line), help: 'give every row a weight of 0 or more (1 counts a sample once)',
          });
        }
        weights![i] = w;
        return;
      }
      const value = parseNumber(cell);
      if (value === undefined) {
        throw new DataError(`row ${i + 1}, column \`${header[c]}\`: ${cell === '' ? 'the cell is empty' : `\`${cell}\` is not a number`}`, {
          file,
          record: `row ${i + 1}`,
          span: lineSpan(row.line),
          help: 'features must be numbers: fill in missing values, encode categories as numbers, or drop the column',
        });
      }
      if (req.inputDtype === 'int32') checkTokenId(value, req.maxTokenId, ref(i), `column \`${header[c]}\``);
      features[k++] = value;
    });
  });

  const { labels, classNames } = labelIndex >= 0 ? parseLabels(data, labelIndex, req, ref, header) : { labels: new Float64Array(data.length), classNames: undefined };
  return {
    samples: { features, sampleShape: [featureCount], labels, weights, count: data.length, recordOf: ref },
    classNames, labelColumn: labelIndex >= 0 ? header[labelIndex] : undefined, weightColumn: weightIndex >= 0 ? header[weightIndex] : undefined,
  };
}
