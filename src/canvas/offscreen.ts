// An offscreen canvas: getContext("webgpu") as in a browser; each presented frame is kept as
// RGBA8 pixels to read (readPixels) or save (savePng). Uses only public classes.
import { encodePng, writePng, type RgbaImage } from "../utils/image.ts";
import { CanvasBase } from "./canvas-base.ts";
import { toRgba8 } from "./pixels.ts";
import { DEFAULT_FRAME_MS, addFrameSource, removeFrameSource, type FrameSource } from "./frame-loop.ts";
import type { GPUDevice, GPUTexture } from "../index.ts";

function size(name: string, v: unknown): number {
  const n = Math.trunc(Number(v));
  if (!Number.isFinite(n) || n < 0 || n > 0xffffffff) throw new RangeError(`GPUOffscreenCanvas: ${name} (${String(v)}) must be a non-negative integer`);
  return n;
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
