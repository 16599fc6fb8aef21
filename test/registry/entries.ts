// Every entry point's types, type-checked in the fresh project with the job (skipLibCheck off).
import type { backend } from "wgpu-ts/auto";
import type { readCanvas } from "wgpu-ts/browser";
import type { createStatisticsQuerySet } from "wgpu-ts/native";

export type Entries = [typeof backend, typeof readCanvas, typeof createStatisticsQuerySet];
