#!/usr/bin/env node
// The cluster idea's part of the seedIdeas benchmark, alone. Built code lives in ../dist (run `npm run build` first).
import { main } from "../dist/seedIdeas/clusterTitlesMain.js";

process.exitCode = await main(process.argv.slice(2));
