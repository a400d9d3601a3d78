// `npm run setup`: installs the Temporal binaries into .tools/ (npm install has done the rest).
import { ensureTemporalTools } from './tools';

const tools = ensureTemporalTools();
console.log(`[tools] temporal CLI:         ${tools.cli}`);
console.log(`[tools] time-skipping server: ${tools.testServer}`);
