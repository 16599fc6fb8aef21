// GPUCanvasContext (https://www.w3.org/TR/webgpu/#canvas-context) over any canvas that can take
// a finished frame: the offscreen canvas and the window canvas. Uses only public classes.
import { GPUTextureUsage } from "../api/constants.ts";
import type { GPUDevice, GPUTexture } from "../index.ts";

/** The formats a canvas context takes (https://www.w3.org/TR/webgpu/#supported-context-formats). */
export const canvasFormats: readonly GPUTextureFormat[] = Object.freeze(["bgra8unorm", "rgba8unorm", "rgba16float"]);

/** GPUCanvasConfiguration, whose device may be wgpu-ts's own GPUDevice class. */
export type CanvasConfiguration = Omit<GPUCanvasConfiguration, "device"> & { device: GPUDevice | globalThis.GPUDevice };

/** What a context needs from its canvas. */
export interface CanvasTarget {
  readonly width: number;
  readonly height: number;
  /** Takes the frame drawn into `texture` (still alive during the call). */
  takeFrame(texture: GPUTexture, configuration: GPUCanvasConfiguration): void;
  /** Checks what only the canvas knows (a window: its surface's capabilities) once the common checks passed; may adjust the configuration. */
  configureTarget?(configuration: GPUCanvasConfigurationOut): void;
  unconfigureTarget?(): void;
  /** The texture of a new frame (a window: its surface's); null or absent: a texture made by the device. */
  acquireTexture?(configuration: GPUCanvasConfigurationOut): GPUTexture | null;
  /** Ends the use of a frame's texture (default: destroy). */
  releaseTexture?(texture: GPUTexture): void;
}

const invalidState = (message: string) => new DOMException(`GPUCanvasContext.${message}`, "InvalidStateError");

export class GPUCanvasContext {
  readonly #canvas: CanvasTarget;
  #configuration: GPUCanvasConfigurationOut | null = null;
  #current: GPUTexture | null = null;

  /** @internal Made by a canvas's getContext("webgpu"). */
  constructor(canvas: CanvasTarget) {
    this.#canvas = canvas;
  }

  /** The canvas this context draws into. */
  get canvas(): HTMLCanvasElement | OffscreenCanvas {
    return this.#canvas as unknown as OffscreenCanvas;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpucanvascontext-configure */
  configure(configuration: CanvasConfiguration): undefined {
    const ctx = "GPUCanvasContext.configure";
    if (configuration === null || typeof configuration !== "object") throw new TypeError(`${ctx}: configuration must be an object`);
    const device = configuration.device as unknown as GPUDevice;
    if (!device || typeof device.createTexture !== "function") throw new TypeError(`${ctx}: configuration.device must be a GPUDevice`);
    const format = configuration.format;
    if (!canvasFormats.includes(format))
      throw new TypeError(`${ctx}: configuration.format ("${String(format)}") must be one of ${canvasFormats.map((f) => `"${f}"`).join(", ")}`);
    const alphaMode = configuration.alphaMode ?? "opaque";
    if (alphaMode !== "opaque" && alphaMode !== "premultiplied")
      throw new TypeError(`${ctx}: configuration.alphaMode ("${String(alphaMode)}") must be "opaque" or "premultiplied"`);
    const colorSpace = configuration.colorSpace ?? "srgb";
    if (colorSpace !== "srgb" && colorSpace !== "display-p3")
      throw new TypeError(`${ctx}: configuration.colorSpace ("${String(colorSpace)}") must be "srgb" or "display-p3"`);
    const mode = configuration.toneMapping?.mode ?? "standard";
    if (mode !== "standard" && mode !== "extended")
      throw new TypeError(`${ctx}: configuration.toneMapping.mode ("${String(mode)}") must be "standard" or "extended"`);
    this.#dropCurrent();
    const out: GPUCanvasConfigurationOut = {
      device: configuration.device as globalThis.GPUDevice,
      format,
      usage: configuration.usage ?? GPUTextureUsage.RENDER_ATTACHMENT,
      viewFormats: [...(configuration.viewFormats ?? [])],
      colorSpace,
      toneMapping: { mode },
      alphaMode,
    };
    this.#canvas.configureTarget?.(out);
    this.#configuration = out;
    // Validates usage and viewFormats the way the textures will be made (errors go to the device).
    this.#makeTexture(1, 1).destroy();
    return undefined;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpucanvascontext-unconfigure */
  unconfigure(): undefined {
    this.#dropCurrent();
    if (this.#configuration) this.#canvas.unconfigureTarget?.();
    this.#configuration = null;
    return undefined;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpucanvascontext-getconfiguration */
  getConfiguration(): GPUCanvasConfigurationOut | null {
    const c = this.#configuration;
    return c ? { ...c, viewFormats: [...c.viewFormats], toneMapping: { ...c.toneMapping } } : null;
  }

  /**
   * https://www.w3.org/TR/webgpu/#dom-gpucanvascontext-getcurrenttexture
   * The same texture until `present()` (or a resize) ends the frame. It also has COPY_SRC usage,
   * so that the frame can be read back.
   */
  getCurrentTexture(): GPUTexture {
    if (!this.#configuration) throw invalidState("getCurrentTexture: the context is not configured");
    const { width, height } = this.#canvas;
    const cur = this.#current;
    if (cur && (cur.width !== Math.max(1, width) || cur.height !== Math.max(1, height))) this.#dropCurrent();
    this.#current ??= this.#canvas.acquireTexture?.(this.#configuration) ?? this.#makeTexture(width, height);
    return this.#current;
  }

  /**
   * Extra: ends the frame, as a browser does after each animation frame: the canvas takes what
   * was drawn into the current texture, which is then destroyed; the next getCurrentTexture()
   * gives a new one. Does nothing when nothing was drawn since the last present.
   */
  present(): undefined {
    const texture = this.#current;
    if (!texture || !this.#configuration) return undefined;
    try {
      this.#canvas.takeFrame(texture, this.#configuration);
    } finally {
      this.#dropCurrent();
    }
    return undefined;
  }

  #makeTexture(width: number, height: number): GPUTexture {
    const c = this.#configuration!;
    const device = c.device as unknown as GPUDevice;
    return device.createTexture({
      size: [Math.max(1, width), Math.max(1, height)],
      format: c.format,
      usage: c.usage | GPUTextureUsage.COPY_SRC,
      viewFormats: c.viewFormats,
      label: "canvas texture",
    });
  }

  #dropCurrent(): void {
    const t = this.#current;
    this.#current = null;
    if (t && this.#canvas.releaseTexture) this.#canvas.releaseTexture(t);
    else t?.destroy();
  }

  declare readonly __brand: "GPUCanvasContext";
}
