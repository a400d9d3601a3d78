// Fixes applied to installed packages by `npm run setup` (run by `npm install`), each until its
// upstream release carries it. Each checks the exact text it replaces and the version it was
// written for, so a changed package is left alone and said so, never half patched.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MARK = '/* case-flow patch */';

/**
 * postgres.js 3.4.9 (porsager/postgres#1154, #1208; fixes proposed in #1168, #1209): a small write
 * is sent on the next tick; if the connection closes first, that tick reads a null socket and
 * throws where nothing can catch it, ending the process — seen here when PostgreSQL was killed
 * under load. Its teardown also leaves the tick's handle set, so the reconnected connection never
 * sends again. The patch settles the pending query with CONNECTION_CLOSED (the pool retries on a
 * new connection) and clears the handle on teardown.
 */
function patchPostgresJs(say: (line: string) => void): void {
  // A direct dependency: npm installs it at the top of node_modules.
  const root = fileURLToPath(new URL('../node_modules/postgres', import.meta.url));
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  if (version !== '3.4.9') return say(`postgres ${version}: the null-socket patch was written for 3.4.9 and is not applied; check porsager/postgres#1208`);
  for (const file of [join(root, 'src/connection.js'), join(root, 'cjs/src/connection.js')]) {
    if (!existsSync(file)) continue;
    let text = readFileSync(file, 'utf8');
    if (text.includes(MARK)) continue;
    const guard = `  function nextWrite(fn) {\n    if (!socket) { ${MARK}\n      chunk = nextWriteTimer = null\n      ;(query || initial || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)`;
    const before = '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)';
    const teardown = '\n    clearImmediate(nextWriteTimer)\n';
    if (!text.includes(before) || text.split(teardown).length !== 3)
      return say(`postgres ${version}: ${file} is not as expected; the null-socket patch is not applied`);
    text = text.replace(before, guard).split(teardown).join(`\n    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null ${MARK}\n`);
    writeFileSync(file, text);
    say(`patched ${file} (porsager/postgres#1208: a write after the connection closed)`);
  }
}

export function applyPatches(say: (line: string) => void = (line) => console.log(`[patches] ${line}`)): void {
  patchPostgresJs(say);
}
