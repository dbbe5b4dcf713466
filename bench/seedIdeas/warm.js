#!/usr/bin/env node
// The warm-up rows of the seedIdeas table (issue #14). Built code lives in ../dist (npm run build first).
import { main } from "../dist/seedIdeas/warmMain.js";

process.exitCode = await main(process.argv.slice(2));
