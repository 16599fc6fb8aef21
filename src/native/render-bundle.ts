// GPURenderBundleEncoder and GPURenderBundle: https://www.w3.org/TR/webgpu/#bundles
// wgpu-native aborts the process on every validation error of wgpuRenderBundleEncoderFinish (all
// bundle validation happens there) and on bad formats in wgpuDeviceCreateRenderBundleEncoder. So
// the encoder records its commands in JS; finish replays them first into a throwaway render pass
// whose attachments have the bundle's formats (the engine validates a pass the same way, but
// reports its errors instead of aborting), and only a recording that passed goes into the
// engine's bundle encoder.
import { bool, dict, label as checkLabel, sequence, u32 } from "../api/check.ts";
import { GPUValidationError } from "../api/errors.ts";
import { GPUTextureUsage } from "../api/constants.ts";
import { colorAttachmentBytesPerSample, textureFormatInfo } from "../api/texture-formats.ts";
import { GPUTextureFormat } from "./ffi/generated/string-enums.ts";
import { WGPU, WGPULoadOp, WGPUStoreOp, WGPUTextureDimension, layout } from "./ffi/generated/webgpu.ts";
import { withScratch, type Scratch } from "./convert/scratch.ts";
import { textureFormat } from "./convert/texture.ts";
import { captureEngineErrors } from "./device-events.ts";
import { HANDLE, IS_LOST, NativeObject, ON_RELEASE, ROUTE_ERROR } from "./object.ts";
import { rt } from "./runtime.ts";
import type { GPUBindGroup, SubmitChecked } from "./binding.ts";
import type { GPUDevice } from "./device.ts";
import { DEVICE, EMIT, INVALIDATE, USES } from "./pass-encoder.ts";
import { GPUCommandBuffer, TAKE_FOR_SUBMIT } from "./command-encoder.ts";
import { DRAW_COUNT, RENDER_EMITTED, RenderCommands, startRenderPass, type RenderEmitter } from "./render-commands.ts";

type Used = SubmitChecked | GPUBindGroup;

/** What a pass needs to know of a bundle it executes. */
export const BUNDLE_STATE = Symbol("wgpu-ts.bundleState");

export class GPURenderBundle extends NativeObject {
  readonly [BUNDLE_STATE]: { invalid: boolean; uses: readonly Used[]; draws: number; pipelines: readonly bigint[] };

  /**
   * An invalid bundle has no engine bundle (wgpu-native aborts on a failing finish, and on any
   * finish once the device is lost): it holds a reference to its encoder instead ("RenderBundleEncoder"),
   * and never reaches the engine (executeBundles leaves it out and invalidates the pass's encoder).
   */
  constructor(
    handle: bigint | null,
    label: string,
    invalid: boolean,
    uses: Used[],
    draws: number,
    kind: "RenderBundle" | "RenderBundleEncoder" = "RenderBundle",
    pipelines: bigint[] = [],
  ) {
    super({ handle, kind, label });
    this[BUNDLE_STATE] = { invalid, uses, draws, pipelines };
  }

  declare readonly __brand: "GPURenderBundle";
}

/** The bundle's attachment layout, checked. */
interface BundleLayout {
  colorFormats: (GPUTextureFormat | null)[];
  depthStencilFormat: GPUTextureFormat | undefined;
  sampleCount: number;
  depthReadOnly: boolean;
  stencilReadOnly: boolean;
}

const enum Op {
  SetPipeline,
  SetBindGroup,
  SetVertexBuffer,
  SetIndexBuffer,
  Draw,
  DrawIndexed,
  DrawIndirect,
  DrawIndexedIndirect,
  SetImmediates,
}

/** Commands as numbers, and the handles and arrays they refer to. */
interface Recording {
  ops: number[];
  objs: (bigint | Uint32Array | Uint8Array | null)[];
  /**
   * A native reference to each object recorded, held until the recording is replayed into the
   * engine: the program may release an object (dispose) between a command and finish, and a
   * replayed handle must still be alive (wgpu-core panics on one it no longer has).
   */
  refs: [kind: string, handle: bigint][];
  /** Vertices times instances of the direct draws; Infinity once an indirect draw is recorded. */
  work: number;
  /**
   * The distinct pipelines it sets (alive while the engine's bundle is: it holds them), which a
   * pass sets before it executes the bundle where the engine needs that (render-pass.ts).
   */
  pipelines: Set<bigint>;
}

/**
 * The validation replay is submitted (see validateByReplay), and its vertex stage runs in full
 * (the scissor only stops fragments): past this much work it is not submitted, and the engine
 * keeps its command buffer instead (the fuzzer's draw(16, 1332365913) took minutes on lavapipe).
 */
const MAX_REPLAY_WORK = 1 << 20;

function keep(r: Recording, kind: string, h: bigint | null): bigint | null {
  if (h) {
    (rt().fns as unknown as Record<string, Fn>)[`wgpu${kind}AddRef`](h);
    r.refs.push([kind, h]);
  }
  return h;
}

/** Gives back the references a recording held, and empties it. */
function dropRefs(r: Recording): void {
  const fns = rt().fns as unknown as Record<string, Fn>;
  for (const [kind, h] of r.refs.splice(0)) fns[`wgpu${kind}Release`](h);
  r.ops.length = 0;
  r.objs.length = 0;
  r.work = 0;
  r.pipelines.clear();
}

function recorder(r: Recording, debug: { depth: number }): RenderEmitter {
  return {
    setPipeline: (_h, p) => void (r.ops.push(Op.SetPipeline), r.objs.push(keep(r, "RenderPipeline", p)), p && r.pipelines.add(p)),
    setBindGroup: (_h, i, g, n, offsets) =>
      void (r.ops.push(Op.SetBindGroup, i, n), r.objs.push(keep(r, "BindGroup", g), offsets ? offsets.slice(0, n) : null)),
    setVertexBuffer: (_h, slot, b, offset, size) => void (r.ops.push(Op.SetVertexBuffer, slot, offset, size), r.objs.push(keep(r, "Buffer", b))),
    setIndexBuffer: (_h, b, format, offset, size) => void (r.ops.push(Op.SetIndexBuffer, format, offset, size), r.objs.push(keep(r, "Buffer", b))),
    draw: (_h, a, b, c, d) => void (r.ops.push(Op.Draw, a, b, c, d), (r.work += a * b)),
    drawIndexed: (_h, a, b, c, d, e) => void (r.ops.push(Op.DrawIndexed, a, b, c, d, e), (r.work += a * b)),
    drawIndirect: (_h, b, offset) => void (r.ops.push(Op.DrawIndirect, offset), r.objs.push(keep(r, "Buffer", b)), (r.work = Infinity)),
    drawIndexedIndirect: (_h, b, offset) => void (r.ops.push(Op.DrawIndexedIndirect, offset), r.objs.push(keep(r, "Buffer", b)), (r.work = Infinity)),
    setImmediates: (_h, offset, data) =>
      void (r.ops.push(Op.SetImmediates, offset), r.objs.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice())),
    // Debug groups only need to balance; they carry no meaning the bundle keeps.
    pushDebugGroup: () => void debug.depth++,
    popDebugGroup: () => void debug.depth--,
    insertDebugMarker: () => {},
  };
}

type Fn = (...args: unknown[]) => void;

/** Replays a recording into a render pass ("RenderPassEncoder") or a bundle encoder ("RenderBundleEncoder"). */
function replay(kind: string, h: bigint, r: Recording): void {
  const fns = rt().fns as unknown as Record<string, Fn>;
  const f = Object.fromEntries(RENDER_EMITTED.map((n) => [n, fns[`wgpu${kind}${n}`]])) as Record<(typeof RENDER_EMITTED)[number], Fn>;
  const { ops, objs } = r;
  let o = 0;
  for (let i = 0; i < ops.length; ) {
    switch (ops[i++]) {
      case Op.SetPipeline:
        f.SetPipeline(h, objs[o++]);
        break;
      case Op.SetBindGroup: {
        const group = objs[o++];
        const offsets = objs[o++];
        f.SetBindGroup(h, ops[i], group, ops[i + 1], offsets);
        i += 2;
        break;
      }
      case Op.SetVertexBuffer:
        f.SetVertexBuffer(h, ops[i], objs[o++], ops[i + 1], ops[i + 2]);
        i += 3;
        break;
      case Op.SetIndexBuffer:
        f.SetIndexBuffer(h, objs[o++], ops[i], ops[i + 1], ops[i + 2]);
        i += 3;
        break;
      case Op.Draw:
        f.Draw(h, ops[i], ops[i + 1], ops[i + 2], ops[i + 3]);
        i += 4;
        break;
      case Op.DrawIndexed:
        f.DrawIndexed(h, ops[i], ops[i + 1], ops[i + 2], ops[i + 3], ops[i + 4]);
        i += 5;
        break;
      case Op.DrawIndirect:
        f.DrawIndirect(h, objs[o++], ops[i++]);
        break;
      case Op.DrawIndexedIndirect:
        f.DrawIndexedIndirect(h, objs[o++], ops[i++]);
        break;
      case Op.SetImmediates: {
        const bytes = objs[o++] as Uint8Array;
        f.SetImmediates(h, ops[i++], bytes, bytes.byteLength);
        break;
      }
    }
  }
}

export class GPURenderBundleEncoder extends RenderCommands {
  readonly #layout: BundleLayout;
  readonly #recording: Recording;
  readonly #debug: { depth: number };
  #uses: Used[] = [];
  /** Why the bundle will be invalid (a bad descriptor, a command wgpu-native would abort on). */
  #problem: string | null;
  #finished = false;

  constructor(device: GPUDevice, handle: bigint | null, label: string, bundleLayout: BundleLayout, problem: string | null) {
    const recording: Recording = { ops: [], objs: [], refs: [], work: 0, pipelines: new Set() };
    const debug = { depth: 0 };
    super(device, handle, "RenderBundleEncoder", label, recorder(recording, debug));
    this.#recording = recording;
    // An encoder dropped or disposed before finish gives back what its recording held.
    this[ON_RELEASE](() => dropRefs(recording));
    this.#debug = debug;
    this.#layout = bundleLayout;
    this.#problem = problem;
  }

  [USES](resource: Used): void {
    this.#uses.push(resource);
  }

  [INVALIDATE](message: string): void {
    this.#problem ??= message;
  }

  /** https://www.w3.org/TR/webgpu/#dom-gpurenderbundleencoder-finish */
  finish(descriptor?: GPURenderBundleDescriptor): GPURenderBundle {
    const ctx = "GPURenderBundleEncoder.finish";
    const d = dict(ctx, "descriptor", descriptor);
    const label = checkLabel(ctx, d.label);
    const device = this[DEVICE];
    let problem = this.#finished ? "the encoder is finished already" : this.#problem;
    this.#finished = true;
    this[EMIT] = finishedEmitter(device);
    if (!problem && this.#debug.depth !== 0) problem = `the debug groups do not balance (${this.#debug.depth} more pushed than popped)`;
    const recording = this.#recording;
    try {
      return this.#finishWith(ctx, label, problem, recording);
    } finally {
      dropRefs(recording);
    }
  }

  #finishWith(ctx: string, label: string, problem: string | null, recording: Recording): GPURenderBundle {
    const device = this[DEVICE];
    if (!problem && !device[IS_LOST]) problem = validateByReplay(device, this.#layout, recording, this.#uses);
    const uses = this.#uses.splice(0);
    if (problem || device[IS_LOST]) {
      if (problem) device[ROUTE_ERROR](new GPUValidationError(`${ctx}: ${problem}`));
      rt().fns.wgpuRenderBundleEncoderAddRef(this[HANDLE]);
      return new GPURenderBundle(this[HANDLE], label, true, uses, this[DRAW_COUNT], "RenderBundleEncoder");
    }
    // The engine's encoder only gets a recording that passed, so its finish cannot fail.
    replay("RenderBundleEncoder", this[HANDLE], recording);
    const handle = withScratch((s) => {
      const L = layout.WGPURenderBundleDescriptor;
      const off = s.alloc(L.$size);
      s.stringView(off + L.label, label);
      return rt().fns.wgpuRenderBundleEncoderFinish(this[HANDLE], s.addr(off));
    });
    return new GPURenderBundle(handle, label, false, uses, this[DRAW_COUNT], "RenderBundle", [...recording.pipelines]);
  }

  declare readonly __brand: "GPURenderBundleEncoder";
}

/** Where the commands of a finished encoder go: each is a validation error. */
function finishedEmitter(device: GPUDevice): RenderEmitter {
  const fail = () => device[ROUTE_ERROR](new GPUValidationError("GPURenderBundleEncoder: the encoder is finished; make a new one to record more commands"));
  const names = [
    "setPipeline",
    "setBindGroup",
    "setVertexBuffer",
    "setIndexBuffer",
    "draw",
    "drawIndexed",
    "drawIndirect",
    "drawIndexedIndirect",
    "setImmediates",
    "pushDebugGroup",
    "popDebugGroup",
    "insertDebugMarker",
  ];
  return Object.fromEntries(names.map((n) => [n, fail])) as unknown as RenderEmitter;
}

/** A layout the engine takes for sure, for the engine's side of encoders whose descriptor failed. */
const SAFE_LAYOUT: BundleLayout = { colorFormats: ["rgba8unorm"], depthStencilFormat: undefined, sampleCount: 1, depthReadOnly: false, stencilReadOnly: false };

function createNativeEncoder(device: GPUDevice, l: BundleLayout, label: string): bigint {
  const handle = withScratch((s) => {
    const L = layout.WGPURenderBundleEncoderDescriptor;
    const off = s.alloc(L.$size);
    s.stringView(off + L.label, label);
    const list = s.alloc(4 * Math.max(1, l.colorFormats.length), 4);
    l.colorFormats.forEach((f, i) => s.u32(list + 4 * i, f === null ? 0 : GPUTextureFormat[f]));
    s.u64(off + L.colorFormatCount, l.colorFormats.length);
    s.ptr(off + L.colorFormats, s.addr(list));
    s.u32(off + L.depthStencilFormat, l.depthStencilFormat === undefined ? 0 : GPUTextureFormat[l.depthStencilFormat]);
    s.u32(off + L.sampleCount, l.sampleCount);
    s.u32(off + L.depthReadOnly, l.depthReadOnly ? 1 : 0);
    s.u32(off + L.stencilReadOnly, l.stencilReadOnly ? 1 : 0);
    return rt().fns.wgpuDeviceCreateRenderBundleEncoder(device[HANDLE], s.addr(off));
  });
  if (!handle) throw new Error("wgpu-ts: the engine returned no GPURenderBundleEncoder");
  return handle;
}

/** 1x1 attachment views of the bundle's formats, made in `s`; each texture is pushed to `textures`. */
function makeAttachment(s: Scratch, device: GPUDevice, format: GPUTextureFormat, sampleCount: number, textures: bigint[]): bigint {
  const { fns } = rt();
  const T = layout.WGPUTextureDescriptor;
  const off = s.alloc(T.$size);
  s.u64(off + T.usage, GPUTextureUsage.RENDER_ATTACHMENT);
  s.u32(off + T.dimension, WGPUTextureDimension["2D"]);
  s.u32(off + T.size + layout.WGPUExtent3D.width, 1);
  s.u32(off + T.size + layout.WGPUExtent3D.height, 1);
  s.u32(off + T.size + layout.WGPUExtent3D.depthOrArrayLayers, 1);
  s.u32(off + T.format, GPUTextureFormat[format]);
  s.u32(off + T.mipLevelCount, 1);
  s.u32(off + T.sampleCount, sampleCount);
  const texture = fns.wgpuDeviceCreateTexture(device[HANDLE], s.addr(off))!;
  textures.push(texture);
  return fns.wgpuTextureCreateView(texture, null)!;
}

/**
 * Replays the recording into a render pass over 1x1 attachments of the bundle's formats, inside
 * engine error scopes; returns the first error's message, or null when the recording is valid.
 */
function validateByReplay(device: GPUDevice, l: BundleLayout, recording: Recording, uses: Used[]): string | null {
  const { fns } = rt();
  const textures: bigint[] = [];
  const views: bigint[] = [];
  let encoder = 0n;
  let pass = 0n;
  let commands = 0n;
  const { error } = captureEngineErrors(device[HANDLE], () =>
    withScratch((s) => {
      textures.length = views.length = 0;
      const P = layout.WGPURenderPassDescriptor;
      const A = layout.WGPURenderPassColorAttachment;
      const D = layout.WGPURenderPassDepthStencilAttachment;
      const off = s.alloc(P.$size);
      const list = s.alloc(A.$size * Math.max(1, l.colorFormats.length));
      l.colorFormats.forEach((f, i) => {
        const at = list + i * A.$size;
        s.u32(at + A.depthSlice, WGPU.DEPTH_SLICE_UNDEFINED);
        if (f === null) return;
        views.push(makeAttachment(s, device, f, l.sampleCount, textures));
        s.ptr(at + A.view, views[views.length - 1]);
        s.u32(at + A.loadOp, WGPULoadOp.Clear);
        s.u32(at + A.storeOp, WGPUStoreOp.Discard);
      });
      s.u64(off + P.colorAttachmentCount, l.colorFormats.length);
      s.ptr(off + P.colorAttachments, s.addr(list));
      if (l.depthStencilFormat !== undefined) {
        const info = textureFormatInfo(l.depthStencilFormat)!;
        const ds = s.alloc(D.$size);
        views.push(makeAttachment(s, device, l.depthStencilFormat, l.sampleCount, textures));
        s.ptr(ds + D.view, views[views.length - 1]);
        s.f32(ds + D.depthClearValue, info.hasDepth && !l.depthReadOnly ? 1 : NaN);
        if (info.hasDepth && !l.depthReadOnly) s.u32(ds + D.depthLoadOp, WGPULoadOp.Clear), s.u32(ds + D.depthStoreOp, WGPUStoreOp.Discard);
        if (info.hasStencil && !l.stencilReadOnly) s.u32(ds + D.stencilLoadOp, WGPULoadOp.Clear), s.u32(ds + D.stencilStoreOp, WGPUStoreOp.Discard);
        s.u32(ds + D.depthReadOnly, l.depthReadOnly ? 1 : 0);
        s.u32(ds + D.stencilReadOnly, l.stencilReadOnly ? 1 : 0);
        s.ptr(off + P.depthStencilAttachment, s.addr(ds));
      }
      encoder = fns.wgpuDeviceCreateCommandEncoder(device[HANDLE], null)!;
      pass = fns.wgpuCommandEncoderBeginRenderPass(encoder, s.addr(off))!;
      startRenderPass(pass); // the pass state a bundle finds (wgpu-core validates draws against it)
      fns.wgpuRenderPassEncoderSetScissorRect(pass, 0, 0, 0, 0); // validated, never drawn
      replay("RenderPassEncoder", pass, recording);
      fns.wgpuRenderPassEncoderEnd(pass);
      commands = fns.wgpuCommandEncoderFinish(encoder, null)!;
    }),
  );
  if (commands && !error) {
    // wgpu-native never frees a command buffer that is not submitted (about 190 KB each on
    // lavapipe): the valid replay is submitted (it draws nothing), through the submit checks.
    if (recording.work > MAX_REPLAY_WORK) fns.wgpuCommandBufferRelease(commands);
    else {
      const buffer = new GPUCommandBuffer(commands, "wgpu-ts bundle validation", false, uses);
      if (buffer[TAKE_FOR_SUBMIT]() === null) device.queue.submit([buffer]);
    }
  } else if (commands) {
    fns.wgpuCommandBufferRelease(commands); // an invalid one cannot be submitted: it stays behind in the engine
  }
  if (pass) fns.wgpuRenderPassEncoderRelease(pass);
  if (encoder) fns.wgpuCommandEncoderRelease(encoder);
  for (const v of views) fns.wgpuTextureViewRelease(v);
  for (const t of textures) fns.wgpuTextureDestroy(t), fns.wgpuTextureRelease(t);
  return error
    ? `its commands fail validation: ${error.message
        .replace(/\s+/g, " ")
        .replace(/^Validation Error Caused by: In wgpu\w+ /, "")
        .trim()}`
    : null;
}

/** The descriptor's spec validation, done here because wgpu-native aborts on what it would reject. */
function checkLayout(ctx: string, device: GPUDevice, d: GPURenderBundleEncoderDescriptor): { l: BundleLayout; problem: string | null } {
  const colorFormats = sequence(ctx, "colorFormats", d.colorFormats).map((f, i) => {
    if (f === null || f === undefined) return null;
    textureFormat(ctx, `colorFormats[${i}]`, f, device);
    return f;
  });
  const depthStencilFormat =
    d.depthStencilFormat === undefined ? undefined : (textureFormat(ctx, "depthStencilFormat", d.depthStencilFormat, device), d.depthStencilFormat);
  const l: BundleLayout = {
    colorFormats,
    depthStencilFormat,
    sampleCount: u32(ctx, "sampleCount", d.sampleCount, 1),
    depthReadOnly: bool(d.depthReadOnly),
    stencilReadOnly: bool(d.stencilReadOnly),
  };
  const max = Math.min(8, device.limits.maxColorAttachments);
  let problem: string | null = null;
  if (colorFormats.length > max) problem = `colorFormats has ${colorFormats.length} entries, more than maxColorAttachments (${max})`;
  else if (colorFormats.every((f) => f === null) && depthStencilFormat === undefined)
    problem = "the bundle has no attachment: give a color format or a depthStencilFormat";
  else if (![1, 4].includes(l.sampleCount)) problem = `sampleCount (${l.sampleCount}) must be 1 or 4`;
  for (const [i, f] of colorFormats.entries()) {
    const info = f === null ? undefined : textureFormatInfo(f);
    if (problem || !info) continue;
    // (wgpu-core 29 panics on these after the first color attachment of the validation pass.)
    if (info.hasDepth || info.hasStencil || info.kind === "compressed" || f === "rgb9e5ufloat")
      problem = `colorFormats[${i}] ("${f}") is not a color renderable format`;
    else if (info.feature && !device.features.has(info.feature)) problem = `colorFormats[${i}] ("${f}") needs the feature "${info.feature}"`;
  }
  const bytes = colorAttachmentBytesPerSample(colorFormats);
  // wgpu-core 29 makes bundle encoders over this limit; the spec does not.
  if (!problem && bytes > device.limits.maxColorAttachmentBytesPerSample)
    problem = `colorFormats take ${bytes} bytes per sample, more than maxColorAttachmentBytesPerSample (${device.limits.maxColorAttachmentBytesPerSample})`;
  if (!problem && depthStencilFormat !== undefined) {
    const info = textureFormatInfo(depthStencilFormat)!;
    if (!info.hasDepth && !info.hasStencil) problem = `depthStencilFormat ("${depthStencilFormat}") is not a depth or stencil format`;
    else if (info.feature && !device.features.has(info.feature)) problem = `depthStencilFormat ("${depthStencilFormat}") needs the feature "${info.feature}"`;
  }
  return { l, problem };
}

/** https://www.w3.org/TR/webgpu/#dom-gpudevice-createrenderbundleencoder */
export function createRenderBundleEncoder(device: GPUDevice, descriptor: GPURenderBundleEncoderDescriptor): GPURenderBundleEncoder {
  const ctx = "GPUDevice.createRenderBundleEncoder";
  const d = dict(ctx, "descriptor", descriptor, true);
  const label = checkLabel(ctx, d.label);
  const { l, problem } = checkLayout(ctx, device, d);
  if (problem) device[ROUTE_ERROR](new GPUValidationError(`${ctx}: ${problem}`));
  const handle = createNativeEncoder(device, problem ? SAFE_LAYOUT : l, label);
  return new GPURenderBundleEncoder(device, handle, label, l, problem);
}
