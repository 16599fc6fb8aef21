// A window on the desktop as a canvas: GLFW makes the window, the engine's surface presents to it,
// the frame loop drives requestAnimationFrame, and input arrives as DOM-like events on the canvas.
import { NativeSurface, type PresentMode, type SurfaceCapabilities, type SurfaceConfiguration, type SurfaceAlphaMode } from "../backend.ts";
import type { GPUAdapter, GPUDevice, GPUTexture } from "../backend.ts";
import { GPUTextureUsage } from "../api/constants.ts";
import { CanvasBase } from "./canvas-base.ts";
import { DEFAULT_FRAME_MS, addFrameSource, removeFrameSource, setBeforeFrame, type FrameSource } from "./frame-loop.ts";
import { GLFW, glfw, takeGlfwError, type Glfw } from "./glfw.ts";
import { WindowInput } from "./window-input.ts";

export interface WindowOptions {
  /** The size of the window's content area in screen units (CSS pixels); 640 x 480 by default. */
  width?: number;
  height?: number;
  title?: string;
  /** Whether the user can resize the window (default true). */
  resizable?: boolean;
  /** Whether the window is shown at once (default true). */
  visible?: boolean;
  /** Wait for the display's refresh when presenting ("fifo"; default true); false presents at once ("immediate", else "mailbox"). */
  vsync?: boolean;
  /** A present mode of the surface's, chosen over `vsync`. */
  presentMode?: PresentMode;
}

const invalidState = (message: string) => new DOMException(message, "InvalidStateError");

function dimension(name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 32768) throw new RangeError(`createWindow: ${name} (${String(v)}) must be an integer from 1 to 32768`);
  return n;
}

/** The document a window canvas belongs to: events bubble to it, as in a browser (three.js listens here). */
export class WindowDocument extends EventTarget {
  hidden = false;
  readonly defaultView: GPUWindowCanvas;
  constructor(canvas: GPUWindowCanvas) {
    super();
    this.defaultView = canvas;
  }
  get visibilityState(): "visible" | "hidden" {
    return this.hidden ? "hidden" : "visible";
  }
}

const open = new Set<GPUWindowCanvas>();

/**
 * A canvas in a desktop window. `getContext("webgpu")` gives a GPUCanvasContext over the window's
 * surface; `width` and `height` are its framebuffer's size in pixels (the content area times
 * `devicePixelRatio`); events: pointer*, mouse*, click, contextmenu, wheel, keydown, keyup, resize,
 * focus, blur, visibilitychange and close (cancelable: preventDefault keeps the window open).
 */
export class GPUWindowCanvas extends CanvasBase implements FrameSource {
  /** CSS-like style properties (kept, not applied: three.js writes some). */
  readonly style: Record<string, string> = {};
  readonly ownerDocument: WindowDocument;
  readonly #glfw: Glfw;
  #window: bigint;
  #surface: NativeSurface | null = null;
  #input: WindowInput;
  #title: string;
  #presentMode: PresentMode | undefined;
  #vsync: boolean;
  #size = { width: 0, height: 0, clientWidth: 0, clientHeight: 0 };
  #minimized = false;
  #closed = false;
  /** Surface textures given out and not yet presented. */
  #surfaceTextures = new WeakSet<GPUTexture>();
  #reconfigure = false;
  #pending: (() => void)[] = [];

  /** @internal Made by createWindow. */
  constructor(options: WindowOptions = {}) {
    super();
    if (options === null || typeof options !== "object") throw new TypeError("createWindow: options must be an object");
    const width = dimension("width", options.width, 640);
    const height = dimension("height", options.height, 480);
    this.#title = String(options.title ?? "wgpu-ts");
    this.#vsync = options.vsync === undefined ? true : Boolean(options.vsync);
    this.#presentMode = options.presentMode;
    const g = (this.#glfw = glfw());
    const { fn } = g;
    fn.glfwWindowHint(GLFW.CLIENT_API, GLFW.NO_API);
    fn.glfwWindowHint(GLFW.RESIZABLE, options.resizable === false ? GLFW.FALSE : GLFW.TRUE);
    fn.glfwWindowHint(GLFW.VISIBLE, options.visible === false ? GLFW.FALSE : GLFW.TRUE);
    const w = fn.glfwCreateWindow(width, height, this.#title, null, null) as bigint | null;
    if (!w) throw new Error(`createWindow: GLFW could not make a window: ${takeGlfwError() || "unknown error"}`);
    this.#window = BigInt(w);
    fn.glfwSetInputMode(this.#window, GLFW.LOCK_KEY_MODS, GLFW.TRUE);
    this.ownerDocument = new WindowDocument(this);
    this.#input = new WindowInput(this, g, this.#window, (fire) => this.#pending.push(fire));
    this.#readSize();
    g.route(this.#window, {
      ...this.#input.callbacks,
      close: () => this.#pending.push(() => this.#closeRequested()),
      framebufferSize: () => this.#pending.push(() => this.#resized()),
      windowSize: () => this.#pending.push(() => this.#resized()),
      contentScale: () => this.#pending.push(() => this.#resized()),
      iconify: (iconified) => this.#pending.push(() => this.#setMinimized(Boolean(iconified))),
      focus: (focused) => this.#pending.push(() => this.#dispatch(new Event(focused ? "focus" : "blur"))),
    });
    try {
      this.#surface = new NativeSurface(g.surfaceSource(this.#window), this.#title);
    } catch (e) {
      this.close();
      throw e;
    }
    open.add(this);
    addFrameSource(this);
  }

  #readSize(): void {
    const { fn } = this.#glfw;
    const fw = [0],
      fh = [0],
      ww = [0],
      wh = [0];
    fn.glfwGetFramebufferSize(this.#window, fw, fh);
    fn.glfwGetWindowSize(this.#window, ww, wh);
    this.#size = { width: fw[0], height: fh[0], clientWidth: ww[0], clientHeight: wh[0] };
  }

  /** Dispatches on the canvas, then (unless stopped) on its document, as a bubbling DOM event does. */
  #dispatch(event: Event): boolean {
    this.dispatchEvent(event);
    // Node's events have no propagation path: the same event goes on to the document (the DOM allows a
    // second dispatch once the first is over; its target is then the document).
    if (event.bubbles && !event.cancelBubble) this.ownerDocument.dispatchEvent(event);
    return !event.defaultPrevented;
  }

  /** @internal Dispatches an input event (window-input.ts). */
  dispatchInput(event: Event): boolean {
    return this.#dispatch(event);
  }

  /** @internal Fires what GLFW reported since the last turn (called by the frame loop, outside GLFW's callbacks). */
  flushEvents(): void {
    const pending = this.#pending;
    this.#pending = [];
    for (const fire of pending) if (!this.#closed) fire();
  }

  #resized(): void {
    const before = this.#size;
    this.#readSize();
    const s = this.#size;
    if (s.width === before.width && s.height === before.height && s.clientWidth === before.clientWidth && s.clientHeight === before.clientHeight) return;
    this.#reconfigure = true;
    // A zero framebuffer is a minimized window on some systems.
    this.#setMinimized(s.width === 0 || s.height === 0 || this.#glfw.fn.glfwGetWindowAttrib(this.#window, GLFW.ICONIFIED) === GLFW.TRUE);
    this.#dispatch(new Event("resize"));
  }

  #setMinimized(minimized: boolean): void {
    if (minimized === this.#minimized) return;
    this.#minimized = minimized;
    this.ownerDocument.hidden = minimized;
    this.#dispatch(new Event("visibilitychange", { bubbles: true }));
  }

  #closeRequested(): void {
    if (this.#dispatch(new Event("close", { cancelable: true }))) this.close();
  }

  /** The framebuffer's width in pixels. Setting it asks the window system for that size (it follows when the window is resized). */
  get width(): number {
    return this.#size.width;
  }
  set width(v: number) {
    this.#requestSize(v, this.height);
  }
  get height(): number {
    return this.#size.height;
  }
  set height(v: number) {
    this.#requestSize(this.width, v);
  }

  #requestSize(width: number, height: number): void {
    if (this.#closed || (width === this.width && height === this.height)) return;
    const ratio = this.devicePixelRatio;
    this.resizeTo(Math.max(1, Math.round(width / ratio)), Math.max(1, Math.round(height / ratio)));
  }

  /** The content area in screen units (CSS pixels). */
  get clientWidth(): number {
    return this.#size.clientWidth;
  }
  get clientHeight(): number {
    return this.#size.clientHeight;
  }
  /** As a browser window's (the canvas fills it). */
  get innerWidth(): number {
    return this.#size.clientWidth;
  }
  get innerHeight(): number {
    return this.#size.clientHeight;
  }

  /** Framebuffer pixels per screen unit (2 on a Retina display). */
  get devicePixelRatio(): number {
    const { width, clientWidth } = this.#size;
    if (width > 0 && clientWidth > 0) return width / clientWidth;
    const x = [1],
      y = [1];
    this.#glfw.fn.glfwGetWindowContentScale(this.#window, x, y);
    return x[0] || 1;
  }

  getBoundingClientRect(): { x: number; y: number; left: number; top: number; width: number; height: number; right: number; bottom: number } {
    const { clientWidth: width, clientHeight: height } = this.#size;
    return { x: 0, y: 0, left: 0, top: 0, width, height, right: width, bottom: height };
  }

  getRootNode(): WindowDocument {
    return this.ownerDocument;
  }

  setPointerCapture(pointerId: number): void {
    this.#input.capture(pointerId, true);
  }
  releasePointerCapture(pointerId: number): void {
    this.#input.capture(pointerId, false);
  }
  hasPointerCapture(pointerId: number): boolean {
    return this.#input.hasCapture(pointerId);
  }

  focus(): void {
    if (!this.#closed) this.#glfw.fn.glfwFocusWindow(this.#window);
  }

  get title(): string {
    return this.#title;
  }
  set title(v: string) {
    this.#title = String(v);
    if (!this.#closed) this.#glfw.fn.glfwSetWindowTitle(this.#window, this.#title);
  }

  /** Resizes the content area to width x height screen units, as window.resizeTo does. */
  resizeTo(width: number, height: number): void {
    const w = dimension("width", width, 1);
    const h = dimension("height", height, 1);
    if (!this.#closed) this.#glfw.fn.glfwSetWindowSize(this.#window, w, h);
  }

  minimize(): void {
    if (!this.#closed) this.#glfw.fn.glfwIconifyWindow(this.#window);
  }

  restore(): void {
    if (!this.#closed) this.#glfw.fn.glfwRestoreWindow(this.#window);
  }

  /** True while the window is minimized (no animation frames run then). */
  get minimized(): boolean {
    return this.#minimized;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The present mode the surface is configured with (or will be). */
  get presentMode(): PresentMode {
    return this.#surface?.configuration?.presentMode ?? this.#presentMode ?? (this.#vsync ? "fifo" : "immediate");
  }

  /** What the adapter can do with this window's surface (formats, present modes, alpha modes, usages); null when it cannot present to it. */
  getCapabilities(adapter: GPUAdapter): SurfaceCapabilities | null {
    if (!this.#surface) throw invalidState("GPUWindowCanvas.getCapabilities: the window is closed");
    return this.#surface.getCapabilities(adapter);
  }

  /** Closes the window now (its pending animation frames are dropped); the process may then exit. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.frames.clear();
    removeFrameSource(this);
    open.delete(this);
    this.context?.unconfigure();
    // The surface goes before its window.
    this.#surface?.unconfigure();
    this.#surface?.[Symbol.dispose]();
    this.#surface = null;
    this.#glfw.route(this.#window, null);
    this.#glfw.fn.glfwDestroyWindow(this.#window);
    this.#window = 0n;
  }

  // FrameSource: the frame loop's side.
  /** @internal */
  get paused(): boolean {
    return this.#minimized;
  }
  /** @internal */
  get frameInterval(): number {
    return this.presentMode === "fifo" || this.presentMode === "fifo-relaxed" ? DEFAULT_FRAME_MS : 0;
  }
  /** @internal */
  get keepsAlive(): boolean {
    return !this.#closed;
  }
  /** @internal */
  endFrame(): void {
    this.context?.present();
  }

  // CanvasTarget: the context's side.
  /** @internal Checks the configuration against the surface's capabilities and configures the surface. */
  configureTarget(c: GPUCanvasConfigurationOut): void {
    const ctx = "GPUCanvasContext.configure";
    if (!this.#surface) throw invalidState(`${ctx}: the window is closed`);
    const device = c.device as unknown as GPUDevice;
    const adapter = device.adapter;
    const caps = this.#surface.getCapabilities(adapter);
    if (!caps || caps.formats.length === 0) {
      throw new Error(
        `${ctx}: the adapter (${adapter.summary}) cannot present to this window's surface (${this.#glfw.platform}); request an adapter that can (WGPU_ADAPTER_NAME picks one by name)`,
      );
    }
    if (!caps.formats.includes(c.format)) {
      throw new TypeError(
        `${ctx}: configuration.format ("${c.format}") is not one this window's surface takes (${caps.formats.map((f) => `"${f}"`).join(", ")}); navigator.gpu.getPreferredCanvasFormat() gives one`,
      );
    }
    const missing = c.usage & ~caps.usages;
    if (missing)
      throw new TypeError(
        `${ctx}: configuration.usage (0x${c.usage.toString(16)}) has bits this window's surface does not allow (0x${missing.toString(16)}; allowed: 0x${caps.usages.toString(16)})`,
      );
    const presentMode = this.#choosePresentMode(caps);
    const config: SurfaceConfiguration = {
      device,
      format: c.format,
      // COPY_SRC where the surface allows it, as the offscreen canvas's textures have (frames can be read back).
      usage: c.usage | (caps.usages & GPUTextureUsage.COPY_SRC),
      viewFormats: c.viewFormats as GPUTextureFormat[],
      alphaMode: this.#chooseAlphaMode(c.alphaMode, caps.alphaModes),
      presentMode,
      width: this.width,
      height: this.height,
    };
    this.#surface.unconfigure();
    if (config.width > 0 && config.height > 0) this.#surface.configure(config);
    this.#pendingConfig = config;
    this.#reconfigure = false;
  }

  #pendingConfig: SurfaceConfiguration | null = null;

  #choosePresentMode(caps: SurfaceCapabilities): PresentMode {
    const asked = this.#presentMode;
    if (asked !== undefined) {
      if (!caps.presentModes.includes(asked))
        throw new TypeError(
          `createWindow: presentMode ("${asked}") is not one this window's surface has (${caps.presentModes.map((m) => `"${m}"`).join(", ")})`,
        );
      return asked;
    }
    if (this.#vsync) return "fifo";
    return caps.presentModes.find((m) => m === "immediate") ?? caps.presentModes.find((m) => m === "mailbox") ?? "fifo";
  }

  /** A window shows premultiplied alpha only where its surface can; else its frames are opaque (a desktop has no page to blend with). */
  #chooseAlphaMode(asked: GPUCanvasAlphaMode, modes: SurfaceAlphaMode[]): SurfaceAlphaMode {
    if (modes.includes(asked)) return asked;
    return modes.includes("opaque") ? "opaque" : (modes[0] ?? "opaque");
  }

  /** @internal */
  unconfigureTarget(): void {
    this.#surface?.unconfigure();
    this.#pendingConfig = null;
  }

  /** @internal The surface's texture for the next frame; null (a texture of the device's, never shown) while minimized. */
  acquireTexture(): GPUTexture | null {
    const surface = this.#surface;
    if (!surface) throw invalidState("GPUCanvasContext.getCurrentTexture: the window is closed");
    const config = this.#pendingConfig;
    if (!config || this.width === 0 || this.height === 0) return null;
    if (this.#reconfigure || surface.configuration?.width !== this.width || surface.configuration?.height !== this.height) {
      this.#reconfigure = false;
      surface.configure({ ...config, width: this.width, height: this.height });
    }
    let r = surface.getCurrentTexture();
    if (!r.texture && (r.status === "outdated" || r.status === "lost")) {
      surface.configure({ ...config, width: this.width, height: this.height });
      r = surface.getCurrentTexture();
    }
    if (!r.texture) {
      if (r.status === "timeout") return null; // this frame is not shown
      throw new Error(`GPUCanvasContext.getCurrentTexture: the window's surface gave no texture (${r.status})`);
    }
    if (r.status === "suboptimal") this.#reconfigure = true;
    this.#surfaceTextures.add(r.texture);
    return r.texture;
  }

  /** @internal Presents a surface texture; a device texture (while minimized) is dropped. */
  takeFrame(texture: GPUTexture): void {
    if (this.#surfaceTextures.has(texture) && this.#surface) this.#surface.present();
  }

  /** @internal */
  releaseTexture(texture: GPUTexture): void {
    texture.destroy();
    if (this.#surfaceTextures.delete(texture)) texture[Symbol.dispose]();
  }

  declare readonly __brand: "GPUWindowCanvas";
}

// One poll for every window, first in each turn of the frame loop.
setBeforeFrame(() => {
  if (open.size === 0) return;
  glfw().fn.glfwPollEvents();
  for (const w of [...open]) w.flushEvents();
});

/** Extra: a canvas in a new desktop window (GLFW 3 from the system), with its own requestAnimationFrame. */
export function createWindow(options?: WindowOptions): GPUWindowCanvas {
  return new GPUWindowCanvas(options);
}
