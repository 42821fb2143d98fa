/** Turning layer names into TypeScript variable names for the emitted buildModel(). */

const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null',
  'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
  'let', 'static', 'implements', 'interface', 'package', 'private', 'protected', 'public', 'await', 'arguments',
  'eval', 'undefined', 'NaN', 'Infinity',
]);

/**
 * One distinct identifier per name, in order: characters a name may not
 * contain become `_`, and names that clash with a keyword, with `taken`
 * (identifiers the surrounding code uses) or with each other get a suffix.
 */
export function uniqueIdentifiers(names: readonly string[], taken: readonly string[] = []): string[] {
  const used = new Set(taken);
  return names.map((name) => {
    let base = name.replace(/[^A-Za-z0-9_$]/g, '_');
    if (base === '' || /^[0-9]/.test(base)) base = `_${base}`;
    let id = base;
    for (let n = 1; RESERVED.has(id) || used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    return id;
  });
}
