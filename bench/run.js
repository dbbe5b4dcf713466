#!/usr/bin/env node
// `npm run bench` / `npm run bench:quick`. Built code lives in ./dist (run `npm run build` first).
import { main } from "./dist/run.js";

process.exitCode = await main(process.argv.slice(2));
