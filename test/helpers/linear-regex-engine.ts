/**
 * Imported first by the tests and benches that compile rule regexes in-process: each such file is a process
 * entry point, and switches V8's linear-time regexp fallback on as the CLI does (src/eql/linear-regex-engine.ts).
 */
import { enableLinearRegexEngine } from '../../src/eql/linear-regex-engine.js';

enableLinearRegexEngine();
