#!/usr/bin/env node
// Runs the benchmarks in bench/ through tsx, like bin/redress.mjs runs the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../bench/run.ts');
