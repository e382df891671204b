#!/usr/bin/env node
import { runFromProcess } from '../main.js';
import { installLastResort } from './last-resort.js';

const lastResort = installLastResort();
process.exitCode = lastResort.exitCode(await runFromProcess());
