// Two wgpu-core 29 faults in tracking which parts of a 3D texture hold data, each met when the
// texture is made, before anything can write it (clearing then costs what the engine's own lazy
// clear would):
// - It marks a whole mip level initialized after a render pass into one of its depth slices,
//   without clearing the other slices: they then show whatever the memory held before (seen on
//   lavapipe: pixels of earlier textures). A 3D render attachment is cleared slice by slice.
// - An encoder copy into (or out of) a 3D texture at origin.z > 0 is tracked as if z were an array
//   layer, which a 3D texture has one of (gfx-rs/wgpu#9765, fixed after 29): such a copy marks
//   nothing initialized, so the next use of the level in a later submit clears it, and the data
//   copied in is lost (the CTS's image_copy and copyTextureToTexture cases on 3D textures).
//   queue.writeTexture tracks 3D textures right: one block written at the origin of each level
//   makes the engine clear the level and mark it initialized, so later copies keep their data.
import { GPUTextureUsage } from "../api/constants.ts";
import { withLogMuted } from "../api/logger.ts";
import { textureFormatInfo } from "../api/texture-formats.ts";
import { captureEngineErrors } from "./device-events.ts";
import { HANDLE, IS_LOST } from "./object.ts";
import { rt } from "./runtime.ts";
import type { GPUCommandBuffer } from "./command-encoder.ts";
import type { GPUDevice } from "./device.ts";
import type { GPUTexture } from "./texture.ts";

export function initVolume(device: GPUDevice, texture: GPUTexture): void {
  if (texture.dimension !== "3d" || device[IS_LOST]) return;
  const target = texture.usage & GPUTextureUsage.RENDER_ATTACHMENT;
  const primed = !target && texture.usage & GPUTextureUsage.COPY_DST && rt().behaviour.volumeCopiesTrackZAsLayer;
  if (!target && !primed) return;
  // A texture over the limits is invalid (the engine said so): clearing it slice by slice would
  // cost a pass per slice of a depth of up to 2^32 - 1, for nothing.
  const max = device.limits.maxTextureDimension3D;
  if (texture.width > max || texture.height > max || texture.depthOrArrayLayers > max) return;
  const { result: commands, error } = captureEngineErrors(device[HANDLE], () => (target ? clearSlices(device, texture) : primeLevels(device, texture)));
  // A texture the engine refused (its error is reported already) is left alone.
  if (!error && commands) device.queue.submit([commands]);
}

function clearSlices(device: GPUDevice, texture: GPUTexture): GPUCommandBuffer {
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
}

/** One block of zeros at the origin of each level: the engine clears the rest of it first. */
function primeLevels(device: GPUDevice, texture: GPUTexture): null {
  const block = textureFormatInfo(texture.format) ?? { blockWidth: 1, blockHeight: 1, bytesPerBlock: 16 };
  const zeros = new Uint8Array(block.bytesPerBlock);
  for (let mip = 0; mip < texture.mipLevelCount; mip++) {
    device.queue.writeTexture({ texture, mipLevel: mip }, zeros, {}, [block.blockWidth, block.blockHeight, 1]);
  }
  return null;
}
