#!/usr/bin/env node
// The cpcr command-line tool. Node 24 runs the TypeScript sources directly (type stripping).
import '../src/cli/main.ts';
