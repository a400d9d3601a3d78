// `npm run setup`: installs the Temporal binaries and schemathesis into .tools/ (npm install has done the rest).
import { ensureTools } from './tools';

const tools = ensureTools();
console.log(`[tools] temporal CLI:         ${tools.cli}`);
console.log(`[tools] time-skipping server: ${tools.testServer}`);
console.log(`[tools] schemathesis:         ${tools.fuzzer}`);
