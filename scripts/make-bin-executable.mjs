// npm links package.json's `bin` before `prepare` builds it, so on a fresh
// clone the compiled CLI would not be executable and `npx mlc` would fail
// with "Permission denied". The build marks it executable itself, and also
// dist/src/cli/main.js, the bin of earlier builds: npx keeps the bin path it
// linked in its cache, so a clone where `npx mlc` ran before still finds it.
import { chmodSync, readFileSync } from 'node:fs';

const { bin } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
for (const file of [...Object.values(bin), 'dist/src/cli/main.js']) chmodSync(new URL(`../${file}`, import.meta.url), 0o755);
