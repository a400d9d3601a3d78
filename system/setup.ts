// `npm run setup` (run by `npm install`): applies the package patches of system/patches.ts, installs
// the Temporal binaries and schemathesis into .tools/, and Debian's Chromium for the browser tests
// when it is missing (npm install has done the rest).
import { ensureChromium } from './browser';
import { applyPatches } from './patches';
import { ensureTools } from './tools';

applyPatches();
const tools = ensureTools();
console.log(`[tools] temporal CLI:         ${tools.cli}`);
console.log(`[tools] time-skipping server: ${tools.testServer}`);
console.log(`[tools] schemathesis:         ${tools.fuzzer}`);
const chromium = ensureChromium((line) => console.log(`[tools] ${line}`));
console.log(`[tools] chromium:             ${chromium ?? 'missing (see above)'}`);
