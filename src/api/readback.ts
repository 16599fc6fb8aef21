// The readback extras' engine-agnostic half, shared by both backends: queue.readBuffer's and
// queue.readTexture's staging copies (rows padded to 256 bytes, as copies want) and the unpacking
// of the mapped bytes. Uses only standard WebGPU calls, so it works on any GPUDevice.
import { u64 } from "./check.ts";
import { GPUBufferUsage } from "./constants.ts";
import { bufferLayout, extent3D, mipLevelSize, type Extent } from "./texel-copy.ts";
import { copyBlock } from "./texture-formats.ts";

const { MAP_READ, COPY_DST } = GPUBufferUsage;

/** A staging buffer holding the bytes read, and where the asked-for bytes are in it. */
export interface BufferRead {
  staging: GPUBuffer;
  skip: number;
  length: number;
}

/**
 * What a copy from `buffer` would fail on, said in readBuffer's words (null: nothing). The backend
 * knows whether the buffer is destroyed and throws its own GPUValidationError with the message.
 */
export function unreadableBuffer(ctx: string, buffer: GPUBuffer, destroyed: boolean): string | null {
  const name = buffer.label ? `buffer "${buffer.label}"` : "buffer";
  if (destroyed) return `${ctx}: ${name} is destroyed`;
  if (!(buffer.usage & GPUBufferUsage.COPY_SRC)) return `${ctx}: ${name} has no COPY_SRC usage`;
  if (buffer.mapState !== "unmapped") return `${ctx}: ${name} is ${buffer.mapState === "mapped" ? "mapped" : "being mapped"}`;
  return null;
}

/**
 * readBuffer's first half: copies `size` bytes of `buffer` from `offset` into a new staging
 * buffer and submits. Copies move multiples of 4 bytes: the staging buffer is rounded up and the
 * result is cut to size with `skip` and `length`.
 */
export function stageBufferRead(device: GPUDevice, buffer: GPUBuffer, offsetArg: GPUSize64 | undefined, sizeArg: GPUSize64 | undefined): BufferRead {
  const ctx = "GPUQueue.readBuffer";
  const offset = u64(ctx, "offset", offsetArg, 0);
  const size = u64(ctx, "size", sizeArg, Math.max(0, buffer.size - offset));
  if (offset + size > buffer.size) throw new RangeError(`${ctx}: offset + size (${offset} + ${size}) is past the end of the buffer (${buffer.size} bytes)`);
  const alignedOffset = offset - (offset % 4);
  const copySize = Math.ceil((offset + size - alignedOffset) / 4) * 4;
  const staging = device.createBuffer({ size: copySize, usage: MAP_READ | COPY_DST, label: "wgpu-ts readBuffer staging" });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(buffer, alignedOffset, staging, 0, Math.min(copySize, buffer.size - alignedOffset));
  device.queue.submit([encoder.finish()]);
  return { staging, skip: offset - alignedOffset, length: size };
}

/** The source of a texture read, checked by the backend (the native one resolves its handle). */
export interface ReadSource {
  texture: GPUTexture;
  mipLevel: number;
  origin: Extent;
  aspect: GPUTextureAspect;
}

export interface TextureRead {
  staging: GPUBuffer;
  /** Copies the mapped staging bytes into the layout the caller asked for. */
  unpack(mapped: ArrayBuffer): ArrayBuffer;
}

function isExtent(v: unknown): v is GPUExtent3DStrict {
  return v !== null && typeof v === "object" && (Symbol.iterator in v || "width" in v);
}

/**
 * readTexture's first half: copies the texels into a staging buffer with rows padded to 256
 * bytes, and says how to unpack them into `dataLayout` (default: tightly packed).
 * Also takes (source, size): the layout is optional, the size defaults to the rest of the mip level.
 */
export function stageTextureRead(
  device: GPUDevice,
  source: GPUTexelCopyTextureInfo,
  checked: ReadSource,
  layoutArg?: GPUTexelCopyBufferLayout | GPUExtent3DStrict | null,
  sizeArg?: GPUExtent3DStrict,
): TextureRead {
  const ctx = "GPUQueue.readTexture";
  if (sizeArg === undefined && isExtent(layoutArg)) [layoutArg, sizeArg] = [undefined, layoutArg];
  const { texture, mipLevel, origin, aspect } = checked;
  const l = bufferLayout(ctx, "dataLayout", (layoutArg ?? undefined) as GPUTexelCopyBufferLayout | undefined);
  const block = copyBlock(texture.format, aspect, "src");
  if (typeof block === "string") throw new TypeError(`${ctx}: ${block}`);
  if (mipLevel >= texture.mipLevelCount)
    throw new RangeError(`${ctx}: source.mipLevel (${mipLevel}) is past the texture's last (${texture.mipLevelCount - 1})`);
  const full = mipLevelSize(texture, mipLevel, block);
  const [w, h, d] = sizeArg === undefined ? (full.map((n, i) => Math.max(0, n - origin[i])) as Extent) : extent3D(ctx, "size", sizeArg);
  const { blockWidth, blockHeight, bytesPerBlock } = block;
  if (w % blockWidth || h % blockHeight)
    throw new RangeError(`${ctx}: size (${w}x${h}) must be a multiple of the ${blockWidth}x${blockHeight} texel block of "${texture.format}"`);
  const rowBytes = (w / blockWidth) * bytesPerBlock;
  const rows = h / blockHeight;
  const bytesPerRow = l.bytesPerRow ?? rowBytes;
  const rowsPerImage = l.rowsPerImage ?? rows;
  if (bytesPerRow < rowBytes) throw new RangeError(`${ctx}: dataLayout.bytesPerRow (${bytesPerRow}) is less than a row of the copy (${rowBytes} bytes)`);
  if (rowsPerImage < rows) throw new RangeError(`${ctx}: dataLayout.rowsPerImage (${rowsPerImage}) is less than the copy's rows (${rows})`);
  const padded = Math.ceil(rowBytes / 256) * 256 || 256;
  const stagingSize = rowBytes && rows && d ? padded * rows * d : 4; // an empty read copies nothing
  if (stagingSize > device.limits.maxBufferSize)
    throw new RangeError(`${ctx}: the region needs ${stagingSize} bytes of staging, over the device's maxBufferSize (${device.limits.maxBufferSize})`);
  const staging = device.createBuffer({ size: stagingSize, usage: MAP_READ | COPY_DST, label: "wgpu-ts readTexture staging" });
  const encoder = device.createCommandEncoder({ label: "wgpu-ts readTexture" });
  if (rowBytes && rows && d) encoder.copyTextureToBuffer(source, { buffer: staging, bytesPerRow: padded, rowsPerImage: rows }, [w, h, d]);
  device.queue.submit([encoder.finish()]);
  return {
    staging,
    unpack(mapped: ArrayBuffer): ArrayBuffer {
      const out = new Uint8Array(d === 0 || rows === 0 ? l.offset : l.offset + bytesPerRow * rowsPerImage * (d - 1) + bytesPerRow * (rows - 1) + rowBytes);
      const from = new Uint8Array(mapped);
      for (let z = 0; z < d; z++) {
        for (let y = 0; y < rows; y++) {
          const at = (z * rows + y) * padded;
          out.set(from.subarray(at, at + rowBytes), l.offset + z * bytesPerRow * rowsPerImage + y * bytesPerRow);
        }
      }
      return out.buffer;
    },
  };
}

/** Maps a staging buffer, hands its bytes to `take`, and destroys it whatever happens. */
export async function readStaging<T>(staging: GPUBuffer, take: (mapped: ArrayBuffer) => T): Promise<T> {
  try {
    await staging.mapAsync(MAP_READ);
    return take(staging.getMappedRange());
  } finally {
    staging.destroy();
  }
}
