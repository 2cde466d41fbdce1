#!/usr/bin/env node
import { main } from '../shared/cli/index.ts';

const code = await main(process.argv.slice(2), process.env);
if (code >= 0) process.exitCode = code;
