export { ModelSim, type ModelSimOptions } from "./ModelSim.js";
export type { ModelSimStats } from "./SimStats.js";
export type { Faults } from "./Faults.js";
export { levelForTitle, DEFAULT_LEVEL } from "./levelForTitle.js";
export { createModelSimCommand } from "./createModelSimCommand.js";
