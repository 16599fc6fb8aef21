// WGPUSurface: a window's swap chain (https://www.w3.org/TR/webgpu/#canvas-context is its web face,
// canvas/window.ts the canvas over it). Made from a window system's native handles.
import koffi from "koffi";
import { typeError } from "../api/check.ts";
import { GPUTextureFormat } from "./ffi/generated/string-enums.ts";
import { WGPUCompositeAlphaMode, WGPUPresentMode, WGPUSType, WGPUStatus, WGPUSurfaceGetCurrentTextureStatus, layout } from "./ffi/generated/webgpu.ts";
import { withScratch, type Scratch } from "./convert/scratch.ts";
import { HANDLE, NativeObject } from "./object.ts";
import { GPUTexture } from "./texture.ts";
import { rt } from "./runtime.ts";
import type { GPUAdapter } from "./adapter.ts";
import type { GPUDevice } from "./device.ts";

/** A window system's handles for a surface (addresses as bigints). */
export type SurfaceSource =
  | { kind: "xlib"; display: bigint; window: bigint }
  | { kind: "xcb"; connection: bigint; window: number }
  | { kind: "wayland"; display: bigint; surface: bigint }
  | { kind: "windows"; hinstance: bigint; hwnd: bigint }
  | { kind: "metal"; layer: bigint };

export type PresentMode = "fifo" | "fifo-relaxed" | "immediate" | "mailbox";
export type SurfaceAlphaMode = "opaque" | "premultiplied" | "unpremultiplied" | "inherit";

const presentModes: Record<PresentMode, number> = {
  fifo: WGPUPresentMode.Fifo,
  "fifo-relaxed": WGPUPresentMode.FifoRelaxed,
  immediate: WGPUPresentMode.Immediate,
  mailbox: WGPUPresentMode.Mailbox,
};
const alphaModes: Record<SurfaceAlphaMode, number> = {
  opaque: WGPUCompositeAlphaMode.Opaque,
  premultiplied: WGPUCompositeAlphaMode.Premultiplied,
  unpremultiplied: WGPUCompositeAlphaMode.Unpremultiplied,
  inherit: WGPUCompositeAlphaMode.Inherit,
};
const nameOf = <K extends string>(map: Readonly<Record<K, number>>, v: number): K | undefined => (Object.keys(map) as K[]).find((k) => map[k] === v);

/** What the adapter can do with a surface (wgpuSurfaceGetCapabilities). */
export interface SurfaceCapabilities {
  /** Texture formats, the preferred first; formats that WebGPU has no name for are left out. */
  formats: GPUTextureFormat[];
  /** Always has "fifo" (vsync); "immediate" or "mailbox" present without waiting for it. */
  presentModes: PresentMode[];
  alphaModes: SurfaceAlphaMode[];
  /** GPUTextureUsage bits the surface's textures may have. */
  usages: number;
}

export interface SurfaceConfiguration {
  device: GPUDevice;
  format: GPUTextureFormat;
  usage: number;
  viewFormats: readonly GPUTextureFormat[];
  alphaMode: SurfaceAlphaMode;
  presentMode: PresentMode;
  width: number;
  height: number;
}

export type SurfaceTextureStatus = "optimal" | "suboptimal" | "timeout" | "outdated" | "lost" | "error";
const statusNames: Record<number, SurfaceTextureStatus> = {
  [WGPUSurfaceGetCurrentTextureStatus.SuccessOptimal]: "optimal",
  [WGPUSurfaceGetCurrentTextureStatus.SuccessSuboptimal]: "suboptimal",
  [WGPUSurfaceGetCurrentTextureStatus.Timeout]: "timeout",
  [WGPUSurfaceGetCurrentTextureStatus.Outdated]: "outdated",
  [WGPUSurfaceGetCurrentTextureStatus.Lost]: "lost",
  [WGPUSurfaceGetCurrentTextureStatus.Error]: "error",
};

function writeSource(s: Scratch, source: SurfaceSource): bigint {
  const chained = (sType: number, size: number) => {
    const off = s.alloc(size);
    s.u32(off + 8, sType);
    return off;
  };
  let off: number;
  switch (source.kind) {
    case "xlib": {
      const L = layout.WGPUSurfaceSourceXlibWindow;
      off = chained(WGPUSType.SurfaceSourceXlibWindow, L.$size);
      s.ptr(off + L.display, source.display);
      s.u64(off + L.window, source.window);
      break;
    }
    case "xcb": {
      const L = layout.WGPUSurfaceSourceXCBWindow;
      off = chained(WGPUSType.SurfaceSourceXCBWindow, L.$size);
      s.ptr(off + L.connection, source.connection);
      s.u32(off + L.window, source.window);
      break;
    }
    case "wayland": {
      const L = layout.WGPUSurfaceSourceWaylandSurface;
      off = chained(WGPUSType.SurfaceSourceWaylandSurface, L.$size);
      s.ptr(off + L.display, source.display);
      s.ptr(off + L.surface, source.surface);
      break;
    }
    case "windows": {
      const L = layout.WGPUSurfaceSourceWindowsHWND;
      off = chained(WGPUSType.SurfaceSourceWindowsHWND, L.$size);
      s.ptr(off + L.hinstance, source.hinstance);
      s.ptr(off + L.hwnd, source.hwnd);
      break;
    }
    case "metal": {
      const L = layout.WGPUSurfaceSourceMetalLayer;
      off = chained(WGPUSType.SurfaceSourceMetalLayer, L.$size);
      s.ptr(off + L.layer, source.layer);
      break;
    }
  }
  return s.addr(off);
}

/**
 * A surface over a native window. One JS object owns one WGPUSurface reference; textures from
 * getCurrentTexture() are valid until present().
 */
export class NativeSurface extends NativeObject {
  #configured: SurfaceConfiguration | null = null;

  constructor(source: SurfaceSource, label = "") {
    const { fns, instance } = rt();
    const handle = withScratch((s) => {
      const D = layout.WGPUSurfaceDescriptor;
      const off = s.alloc(D.$size);
      s.ptr(off + D.nextInChain, writeSource(s, source));
      s.stringView(off + D.label, label);
      return fns.wgpuInstanceCreateSurface(instance, s.addr(off));
    });
    if (!handle) throw new Error(`wgpu-ts: ${rt().engine.name} could not make a surface for the ${source.kind} window`);
    super({ handle, kind: "Surface", label });
  }

  /** The adapter's capabilities for this surface, or null when the adapter cannot present to it. */
  getCapabilities(adapter: GPUAdapter): SurfaceCapabilities | null {
    const { fns } = rt();
    return withScratch((s) => {
      const L = layout.WGPUSurfaceCapabilities;
      const out = s.addr(s.alloc(L.$size));
      if (fns.wgpuSurfaceGetCapabilities(this[HANDLE], adapter[HANDLE], out) !== WGPUStatus.Success) return null;
      const v = koffi.decode(out, "WGPUSurfaceCapabilities") as {
        usages: bigint | number;
        formatCount: number;
        formats: bigint | null;
        presentModeCount: number;
        presentModes: bigint | null;
        alphaModeCount: number;
        alphaModes: bigint | null;
      };
      const list = (p: bigint | null, n: number) => (p && n ? Array.from(koffi.decode(p, "uint32_t", Number(n)) as Uint32Array) : []);
      const caps: SurfaceCapabilities = {
        formats: list(v.formats, v.formatCount)
          .map((f) => nameOf(GPUTextureFormat, f))
          .filter((f): f is GPUTextureFormat => f !== undefined),
        presentModes: list(v.presentModes, v.presentModeCount)
          .map((m) => nameOf(presentModes, m))
          .filter((m): m is PresentMode => m !== undefined),
        alphaModes: list(v.alphaModes, v.alphaModeCount)
          .map((m) => nameOf(alphaModes, m))
          .filter((m): m is SurfaceAlphaMode => m !== undefined),
        usages: Number(v.usages),
      };
      fns.wgpuSurfaceCapabilitiesFreeMembers(v);
      return caps;
    });
  }

  /** The configuration in force, or null. */
  get configuration(): SurfaceConfiguration | null {
    return this.#configured;
  }

  /** wgpuSurfaceConfigure; the caller checks the configuration against getCapabilities(). */
  configure(c: SurfaceConfiguration): void {
    const ctx = "GPUCanvasContext.configure";
    if (!(c.width > 0 && c.height > 0)) typeError(ctx, "size", `(${c.width}x${c.height}) must not be empty`);
    withScratch((s) => {
      const L = layout.WGPUSurfaceConfiguration;
      const off = s.alloc(L.$size);
      s.ptr(off + L.device, c.device[HANDLE]);
      s.u32(off + L.format, GPUTextureFormat[c.format]);
      s.u64(off + L.usage, c.usage);
      s.u32(off + L.width, c.width);
      s.u32(off + L.height, c.height);
      const list = s.alloc(4 * c.viewFormats.length, 4);
      c.viewFormats.forEach((f, i) => s.u32(list + 4 * i, GPUTextureFormat[f]));
      s.u64(off + L.viewFormatCount, c.viewFormats.length);
      s.ptr(off + L.viewFormats, c.viewFormats.length ? s.addr(list) : null);
      s.u32(off + L.alphaMode, alphaModes[c.alphaMode]);
      s.u32(off + L.presentMode, presentModes[c.presentMode]);
      rt().fns.wgpuSurfaceConfigure(this[HANDLE], s.addr(off));
    });
    this.#configured = { ...c, viewFormats: [...c.viewFormats] };
  }

  unconfigure(): void {
    if (!this.#configured) return;
    this.#configured = null;
    rt().fns.wgpuSurfaceUnconfigure(this[HANDLE]);
  }

  /**
   * The texture to draw the next frame into, with the status the engine gave; no texture when the
   * status is not a success ("outdated" and "lost" ask for a new configure).
   */
  getCurrentTexture(): { texture: GPUTexture | null; status: SurfaceTextureStatus } {
    const c = this.#configured;
    if (!c) throw new DOMException("GPUCanvasContext.getCurrentTexture: the surface is not configured", "InvalidStateError");
    const { texture, status } = withScratch((s) => {
      const L = layout.WGPUSurfaceTexture;
      const off = s.alloc(L.$size);
      rt().fns.wgpuSurfaceGetCurrentTexture(this[HANDLE], s.addr(off));
      return { texture: s.dv.getBigUint64(off + L.texture, true), status: statusNames[s.dv.getUint32(off + L.status, true)] ?? "error" };
    });
    const ok = status === "optimal" || status === "suboptimal";
    if (!ok) {
      if (texture) rt().fns.wgpuTextureRelease(texture);
      return { texture: null, status };
    }
    const init = {
      size: [c.width, c.height, 1] as [number, number, number],
      mipLevelCount: 1,
      sampleCount: 1,
      dimension: "2d" as const,
      format: c.format,
      usage: c.usage,
      textureBindingViewDimension: undefined,
      fromSurface: true,
    };
    return { texture: new GPUTexture(c.device, texture, "surface texture", init), status };
  }

  /** Shows the frame drawn into the current texture. */
  present(): void {
    rt().fns.wgpuSurfacePresent(this[HANDLE]);
  }

  declare readonly __brand: "NativeSurface";
}
