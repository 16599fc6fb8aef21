// Types of bench/workloads.mjs for bench/run.ts (the module itself stays plain JavaScript for Deno and Bun).
export interface Sizes {
  warmups: number;
  runs: number;
  draws: number;
  dispatches: number;
  objects: number;
  bigBytes: number;
  chunkBytes: number;
  roundTrips: number;
  matmulN: number;
  matmulReps: number;
  sceneDraws: number;
  frames: number;
}
export function defaultSizes(quick: boolean): Sizes;
export const workloads: Record<string, unknown>;
export const memcpy: Record<string, unknown>;
