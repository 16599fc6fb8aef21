// What every canvas of wgpu-ts shares (the offscreen one and the window one): its one
// GPUCanvasContext, and requestAnimationFrame with the frame loop presenting after the callbacks.
import { GPUCanvasContext, type CanvasTarget } from "./context.ts";
import { AnimationFrames } from "./frame-loop.ts";
import type { GPUTexture } from "../index.ts";

export abstract class CanvasBase extends EventTarget implements CanvasTarget {
  #context: GPUCanvasContext | null = null;
  /** @internal Its requestAnimationFrame callbacks, run by the frame loop. */
  readonly frames = new AnimationFrames();

  abstract get width(): number;
  abstract get height(): number;
  /** @internal Called by the context's present(). */
  abstract takeFrame(texture: GPUTexture, configuration: GPUCanvasConfiguration): void;

  /** The canvas's GPUCanvasContext for "webgpu" (always the same one); null for other kinds, as browsers answer. */
  getContext(contextId: "webgpu"): GPUCanvasContext;
  getContext(contextId: string): GPUCanvasContext | null;
  getContext(contextId: string): GPUCanvasContext | null {
    if (String(contextId) !== "webgpu") return null;
    this.#context ??= new GPUCanvasContext(this);
    return this.#context;
  }

  /** `callback` runs in the next frame; after the frame's callbacks, what was drawn is presented. */
  requestAnimationFrame(callback: FrameRequestCallback): number {
    this.framesWanted();
    return this.frames.request(callback, `${this.constructor.name}.requestAnimationFrame`);
  }

  cancelAnimationFrame(id: number): void {
    this.frames.cancel(id);
  }

  /** The context, once getContext("webgpu") made it. */
  protected get context(): GPUCanvasContext | null {
    return this.#context;
  }

  /** Called before a callback is requested (the offscreen canvas joins the frame loop then). */
  protected framesWanted(): void {}
}
