// `npm run setup` (run by `npm install`): applies the package patches of system/patches.ts and installs
// the Temporal binaries and schemathesis into .tools/ (npm install has done the rest).
import { applyPatches } from './patches';
import { ensureTools } from './tools';

applyPatches();
const tools = ensureTools();
console.log(`[tools] temporal CLI:         ${tools.cli}`);
console.log(`[tools] time-skipping server: ${tools.testServer}`);
console.log(`[tools] schemathesis:         ${tools.fuzzer}`);
