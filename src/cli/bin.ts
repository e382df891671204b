#!/usr/bin/env node
import { runFromProcess } from '../main.js';

process.exitCode = await runFromProcess();
