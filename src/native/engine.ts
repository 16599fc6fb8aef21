// Choosing the engine: the public face of native/engine/.
export { useEngine } from "./runtime.ts";
export { engineNames, type EngineName, type EngineOptions, type DawnToggles } from "./engine/load.ts";
