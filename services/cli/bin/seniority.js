#!/usr/bin/env node
// The `seniority` command. Built code lives in ../dist (run `npm run build` first).
import { main } from "../dist/main.js";

await main(process.argv);
