// wgpu-core 29 marks a whole mip level of a 3D texture initialized after a render pass into one
// of its depth slices, without clearing the other slices: they then show whatever the memory held
// before (seen on lavapipe: pixels of earlier textures). So a 3D texture that can be a render
// attachment is cleared slice by slice when it is made, before anything can write it.
import { GPUTextureUsage } from "../api/constants.ts";
import { withLogMuted } from "../api/logger.ts";
import { captureEngineErrors } from "./device-events.ts";
import { HANDLE, IS_LOST } from "./object.ts";
import type { GPUDevice } from "./device.ts";
import type { GPUTexture } from "./texture.ts";

export function clearVolumeSlices(device: GPUDevice, texture: GPUTexture): void {
  if (texture.dimension !== "3d" || !(texture.usage & GPUTextureUsage.RENDER_ATTACHMENT) || device[IS_LOST]) return;
  // A texture over the limits is invalid (the engine said so): clearing it slice by slice would
  // cost a pass per slice of a depth of up to 2^32 - 1, for nothing.
  const max = device.limits.maxTextureDimension3D;
  if (texture.width > max || texture.height > max || texture.depthOrArrayLayers > max) return;
  const { result: commands, error } = captureEngineErrors(device[HANDLE], () => {
    const encoder = device.createCommandEncoder({ label: "wgpu-ts 3D texture clear" });
    for (let mip = 0; mip < texture.mipLevelCount; mip++) {
      const view = texture.createView({ baseMipLevel: mip, mipLevelCount: 1, dimension: "3d" });
      const depth = Math.max(1, texture.depthOrArrayLayers >> mip);
      // wgpu-native warns "Depth slice on color attachments is not implemented" at each such pass
      // (it clears the slice all the same): these passes are ours, not the user's.
      withLogMuted(() => {
        for (let z = 0; z < depth; z++) encoder.beginRenderPass({ colorAttachments: [{ view, depthSlice: z, loadOp: "clear", storeOp: "store" }] }).end();
      });
    }
    return encoder.finish();
  });
  // A texture the engine refused (its error is reported already) is left alone.
  if (!error) device.queue.submit([commands]);
}
