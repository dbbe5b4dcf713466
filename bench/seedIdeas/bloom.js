#!/usr/bin/env node
// The Bloom idea's part of seedIdeas (built code in ../dist; run `npm run build` first).
import { main } from "../dist/seedIdeas/bloomMain.js";

process.exitCode = await main(process.argv.slice(2));
