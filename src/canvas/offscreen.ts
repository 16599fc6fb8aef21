// An offscreen canvas: getContext("webgpu") as in a browser; each presented frame is kept as
// RGBA8 pixels to read (readPixels) or save (savePng). Uses only public classes.
import { encodePng, writePng, type RgbaImage } from "../utils/image.ts";
import { CanvasBase } from "./canvas-base.ts";
import { DEFAULT_FRAME_MS, addFrameSource, removeFrameSource, type FrameSource } from "./frame-loop.ts";
import type { GPUDevice, GPUTexture } from "../index.ts";

function size(name: string, v: unknown): number {
  const n = Math.trunc(Number(v));
  if (!Number.isFinite(n) || n < 0 || n > 0xffffffff) throw new RangeError(`GPUOffscreenCanvas: ${name} (${String(v)}) must be a non-negative integer`);
  return n;
}

/** A half float's value (IEEE 754 binary16). */
function half(h: number): number {
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  const v = e === 0 ? m * 2 ** -24 : e === 31 ? (m ? NaN : Infinity) : (1 + m / 1024) * 2 ** (e - 15);
  return h & 0x8000 ? -v : v;
}

/** Texels of a canvas format -> RGBA8 (bgra8unorm swizzled, rgba16float clamped to [0, 1]); alpha 255 when opaque. */
export function toRgba8(format: GPUTextureFormat, texels: ArrayBuffer, opaque: boolean): Uint8Array {
  let out: Uint8Array;
  if (format === "rgba16float") {
    const h = new Uint16Array(texels);
    out = new Uint8Array(h.length);
    for (let i = 0; i < h.length; i++) {
      const v = half(h[i]);
      out[i] = v > 0 ? Math.round(Math.min(1, v) * 255) : 0;
    }
  } else {
    out = new Uint8Array(texels.slice(0));
    if (format === "bgra8unorm") {
      for (let i = 0; i < out.length; i += 4) {
        const b = out[i];
        out[i] = out[i + 2];
        out[i + 2] = b;
      }
    }
  }
  if (opaque) for (let i = 3; i < out.length; i += 4) out[i] = 255;
  return out;
}

/**
 * A canvas without a window, like a browser's OffscreenCanvas: `getContext("webgpu")` gives a
 * GPUCanvasContext; after `context.present()` the frame can be read with `readPixels()` or
 * saved with `savePng(path)`. Changing `width` or `height` clears it, as in a browser.
 */
export class GPUOffscreenCanvas extends CanvasBase {
  #width: number;
  #height: number;
  #pixels: Uint8Array;
  /** In the frame loop while callbacks are pending, at a browser's rate; frames that ran callbacks are presented. */
  readonly #source: FrameSource = {
    frames: this.frames,
    paused: false,
    frameInterval: DEFAULT_FRAME_MS,
    keepsAlive: false,
    endFrame: (ran) => {
      if (ran) this.context?.present();
      if (!this.frames.pending) removeFrameSource(this.#source);
    },
  };

  constructor(width = 300, height = 150) {
    super();
    this.#width = size("width", width);
    this.#height = size("height", height);
    this.#pixels = new Uint8Array(this.#width * this.#height * 4);
  }

  get width(): number {
    return this.#width;
  }

  set width(v: number) {
    this.#width = size("width", v);
    this.#clear();
  }

  get height(): number {
    return this.#height;
  }

  set height(v: number) {
    this.#height = size("height", v);
    this.#clear();
  }

  #clear(): void {
    this.#pixels = new Uint8Array(this.#width * this.#height * 4);
  }

  protected override framesWanted(): void {
    addFrameSource(this.#source);
  }

  /** @internal Called by the context's present(). */
  takeFrame(texture: GPUTexture, configuration: GPUCanvasConfiguration): void {
    const device = configuration.device as unknown as GPUDevice;
    const texels = device.queue.readTextureSync({ texture }, [texture.width, texture.height, 1]);
    const pixels = toRgba8(texture.format, texels, configuration.alphaMode !== "premultiplied");
    // A frame made before a resize is dropped, as a browser clears a resized canvas.
    if (texture.width === this.#width && texture.height === this.#height) this.#pixels = pixels;
  }

  /** The last presented frame as RGBA8 pixels, row by row from the top (transparent black before the first). */
  readPixels(): Uint8Array {
    return this.#pixels.slice();
  }

  /** The last presented frame as an image (width, height, RGBA8 data). */
  getImage(): RgbaImage {
    return { width: this.#width, height: this.#height, data: this.readPixels() };
  }

  /** The last presented frame as PNG file bytes. */
  toPng(): Uint8Array {
    return encodePng(this.getImage());
  }

  /** Writes the last presented frame to a PNG file. */
  savePng(path: string): void {
    writePng(path, this.getImage());
  }
}

/** Extra: a new offscreen canvas of the given size (300 x 150 by default, as in browsers). */
export function createCanvas(width?: number, height?: number): GPUOffscreenCanvas {
  return new GPUOffscreenCanvas(width, height);
}
