// Type conformance of the rendering interfaces, and of the whole GPUAdapter, GPUDevice, GPUQueue
// and GPUCommandEncoder (checked by `npm run typecheck`): browser code type-checks against ours.
import type * as ours from "../../src/index.ts";

type Assert<T extends true> = T;
type Assignable<A, B> = [A] extends [B] ? true : false;

export type RenderChecks = [
  Assert<Assignable<ours.GPURenderPipeline, GPURenderPipeline>>,
  Assert<Assignable<ours.GPURenderPassEncoder, GPURenderPassEncoder>>,
  Assert<Assignable<ours.GPURenderBundleEncoder, GPURenderBundleEncoder>>,
  Assert<Assignable<ours.GPURenderBundle, GPURenderBundle>>,
  Assert<Assignable<ours.GPUCommandEncoder, GPUCommandEncoder>>,
  // copyExternalImageToTexture (a texture member: images, canvases) is not there yet; everything else is.
  Assert<Assignable<Omit<ours.GPUQueue, "copyExternalImageToTexture">, Omit<GPUQueue, "copyExternalImageToTexture">>>,
  Assert<Assignable<Omit<ours.GPUDevice, "queue">, Omit<GPUDevice, "queue">>>,
  Assert<Assignable<Omit<ours.GPUAdapter, "requestDevice">, Omit<GPUAdapter, "requestDevice">>>,
];
