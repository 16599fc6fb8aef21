// Every GPUTextureFormat of the spec, in one table: texel block size and bytes per aspect (for
// copies), the feature it needs, and its kind. Hand-written once from the spec's format tables
// (https://www.w3.org/TR/webgpu/#texture-format-caps and #depth-formats).

export type FormatKind = "float" | "unfilterable-float" | "uint" | "sint" | "depth" | "stencil" | "depth-stencil" | "compressed";

export interface TextureFormatInfo {
  /** Texel block width and height (1x1 except for compressed formats). */
  blockWidth: number;
  blockHeight: number;
  /** Bytes of one texel block for copies of aspect "all"; 0 when "all" cannot be copied (depth-stencil, depth24plus). */
  bytesPerBlock: number;
  /** Bytes per texel of the depth aspect in copies, or 0 when it has none or cannot be copied. */
  depthBytes: number;
  /** Whether copies of the depth aspect may go into the texture (false for depth32float formats, depth24plus). */
  depthCopyDst: boolean;
  /** Bytes per texel of the stencil aspect (1 where there is one). */
  stencilBytes: number;
  hasDepth: boolean;
  hasStencil: boolean;
  kind: FormatKind;
  /** Number of color channels (0 for depth/stencil). */
  components: number;
  /** The feature a device needs for textures of this format, if any. */
  feature?: string;
  srgb: boolean;
}

type Entry = [kind: FormatKind, bytes: number, components: number, feature?: string];

const color: Record<string, Entry> = {
  r8unorm: ["float", 1, 1],
  r8snorm: ["float", 1, 1],
  r8uint: ["uint", 1, 1],
  r8sint: ["sint", 1, 1],
  r16unorm: ["float", 2, 1, "texture-formats-tier1"],
  r16snorm: ["float", 2, 1, "texture-formats-tier1"],
  r16uint: ["uint", 2, 1],
  r16sint: ["sint", 2, 1],
  r16float: ["float", 2, 1],
  rg8unorm: ["float", 2, 2],
  rg8snorm: ["float", 2, 2],
  rg8uint: ["uint", 2, 2],
  rg8sint: ["sint", 2, 2],
  r32uint: ["uint", 4, 1],
  r32sint: ["sint", 4, 1],
  r32float: ["unfilterable-float", 4, 1],
  rg16unorm: ["float", 4, 2, "texture-formats-tier1"],
  rg16snorm: ["float", 4, 2, "texture-formats-tier1"],
  rg16uint: ["uint", 4, 2],
  rg16sint: ["sint", 4, 2],
  rg16float: ["float", 4, 2],
  rgba8unorm: ["float", 4, 4],
  "rgba8unorm-srgb": ["float", 4, 4],
  rgba8snorm: ["float", 4, 4],
  rgba8uint: ["uint", 4, 4],
  rgba8sint: ["sint", 4, 4],
  bgra8unorm: ["float", 4, 4],
  "bgra8unorm-srgb": ["float", 4, 4],
  rgb9e5ufloat: ["float", 4, 3],
  rgb10a2uint: ["uint", 4, 4],
  rgb10a2unorm: ["float", 4, 4],
  rg11b10ufloat: ["float", 4, 3],
  rg32uint: ["uint", 8, 2],
  rg32sint: ["sint", 8, 2],
  rg32float: ["unfilterable-float", 8, 2],
  rgba16unorm: ["float", 8, 4, "texture-formats-tier1"],
  rgba16snorm: ["float", 8, 4, "texture-formats-tier1"],
  rgba16uint: ["uint", 8, 4],
  rgba16sint: ["sint", 8, 4],
  rgba16float: ["float", 8, 4],
  rgba32uint: ["uint", 16, 4],
  rgba32sint: ["sint", 16, 4],
  rgba32float: ["unfilterable-float", 16, 4],
};

function info(partial: Partial<TextureFormatInfo> & Pick<TextureFormatInfo, "kind">): TextureFormatInfo {
  return {
    blockWidth: 1,
    blockHeight: 1,
    bytesPerBlock: 0,
    depthBytes: 0,
    depthCopyDst: false,
    stencilBytes: 0,
    hasDepth: false,
    hasStencil: false,
    components: 0,
    srgb: false,
    ...partial,
  };
}

const table = new Map<string, TextureFormatInfo>();
for (const [name, [kind, bytes, components, feature]] of Object.entries(color)) {
  table.set(name, info({ kind, bytesPerBlock: bytes, components, feature, srgb: name.endsWith("-srgb") }));
}
table.set("stencil8", info({ kind: "stencil", bytesPerBlock: 1, stencilBytes: 1, hasStencil: true }));
table.set("depth16unorm", info({ kind: "depth", bytesPerBlock: 2, depthBytes: 2, depthCopyDst: true, hasDepth: true }));
table.set("depth24plus", info({ kind: "depth", hasDepth: true }));
table.set("depth24plus-stencil8", info({ kind: "depth-stencil", stencilBytes: 1, hasDepth: true, hasStencil: true }));
table.set("depth32float", info({ kind: "depth", bytesPerBlock: 4, depthBytes: 4, hasDepth: true }));
table.set(
  "depth32float-stencil8",
  info({ kind: "depth-stencil", depthBytes: 4, stencilBytes: 1, hasDepth: true, hasStencil: true, feature: "depth32float-stencil8" }),
);

/** Compressed formats with an -srgb twin. */
function compressed(names: string[], w: number, h: number, bytes: number, feature: string, components: number): void {
  for (const name of names) {
    for (const n of [name, `${name}-srgb`]) {
      table.set(n, info({ kind: "compressed", blockWidth: w, blockHeight: h, bytesPerBlock: bytes, components, feature, srgb: n !== name }));
    }
  }
}
const bc = "texture-compression-bc";
compressed(["bc1-rgba-unorm"], 4, 4, 8, bc, 4);
compressed(["bc2-rgba-unorm", "bc3-rgba-unorm", "bc7-rgba-unorm"], 4, 4, 16, bc, 4);
for (const n of ["bc4-r-unorm", "bc4-r-snorm"])
  table.set(n, info({ kind: "compressed", blockWidth: 4, blockHeight: 4, bytesPerBlock: 8, components: 1, feature: bc }));
for (const n of ["bc5-rg-unorm", "bc5-rg-snorm"])
  table.set(n, info({ kind: "compressed", blockWidth: 4, blockHeight: 4, bytesPerBlock: 16, components: 2, feature: bc }));
for (const n of ["bc6h-rgb-ufloat", "bc6h-rgb-float"])
  table.set(n, info({ kind: "compressed", blockWidth: 4, blockHeight: 4, bytesPerBlock: 16, components: 3, feature: bc }));
const etc2 = "texture-compression-etc2";
compressed(["etc2-rgb8unorm", "etc2-rgb8a1unorm"], 4, 4, 8, etc2, 4);
compressed(["etc2-rgba8unorm"], 4, 4, 16, etc2, 4);
for (const n of ["eac-r11unorm", "eac-r11snorm"])
  table.set(n, info({ kind: "compressed", blockWidth: 4, blockHeight: 4, bytesPerBlock: 8, components: 1, feature: etc2 }));
for (const n of ["eac-rg11unorm", "eac-rg11snorm"])
  table.set(n, info({ kind: "compressed", blockWidth: 4, blockHeight: 4, bytesPerBlock: 16, components: 2, feature: etc2 }));
for (const [w, h] of [
  [4, 4],
  [5, 4],
  [5, 5],
  [6, 5],
  [6, 6],
  [8, 5],
  [8, 6],
  [8, 8],
  [10, 5],
  [10, 6],
  [10, 8],
  [10, 10],
  [12, 10],
  [12, 12],
]) {
  compressed([`astc-${w}x${h}-unorm`], w, h, 16, "texture-compression-astc", 4);
}

/** Every texture format of the spec, in the spec's order. */
export const textureFormats: readonly string[] = Object.freeze([...table.keys()]);

/** The table entry of a format, or undefined for a name that is not a format. */
export function textureFormatInfo(format: string): TextureFormatInfo | undefined {
  return table.get(format);
}

export interface CopyBlock {
  blockWidth: number;
  blockHeight: number;
  bytesPerBlock: number;
}

/**
 * The texel block of a copy of `aspect` of `format`, or a reason it cannot be copied
 * (https://www.w3.org/TR/webgpu/#abstract-opdef-aspect-specific-format).
 */
export function copyBlock(format: string, aspect: GPUTextureAspect, direction: "src" | "dst"): CopyBlock | string {
  const f = table.get(format);
  if (!f) return `"${format}" is not a texture format`;
  const { blockWidth, blockHeight } = f;
  if (aspect === "stencil-only") {
    if (!f.hasStencil) return `"${format}" has no stencil aspect`;
    return { blockWidth, blockHeight, bytesPerBlock: f.stencilBytes };
  }
  if (aspect === "depth-only") {
    if (!f.hasDepth) return `"${format}" has no depth aspect`;
    if (!f.depthBytes) return `the depth aspect of "${format}" cannot be copied`;
    if (direction === "dst" && !f.depthCopyDst) return `the depth aspect of "${format}" cannot be copied into`;
    return { blockWidth, blockHeight, bytesPerBlock: f.depthBytes };
  }
  if (f.hasDepth && f.hasStencil) return `"${format}" has two aspects: copy "depth-only" or "stencil-only"`;
  if (f.hasDepth) {
    if (!f.depthBytes) return `"${format}" cannot be copied`;
    if (direction === "dst" && !f.depthCopyDst) return `"${format}" cannot be copied into`;
  }
  return { blockWidth, blockHeight, bytesPerBlock: f.bytesPerBlock };
}

/**
 * Render target pixel byte cost and component alignment of the color renderable formats
 * (https://www.w3.org/TR/webgpu/#plain-color-formats), for maxColorAttachmentBytesPerSample.
 */
const renderTargetCost: Record<string, [cost: number, alignment: number]> = {
  r8unorm: [1, 1],
  r8uint: [1, 1],
  r8sint: [1, 1],
  rg8unorm: [2, 1],
  rg8uint: [2, 1],
  rg8sint: [2, 1],
  rgba8unorm: [8, 1],
  "rgba8unorm-srgb": [8, 1],
  rgba8uint: [4, 1],
  rgba8sint: [4, 1],
  bgra8unorm: [8, 1],
  "bgra8unorm-srgb": [8, 1],
  r16unorm: [2, 2],
  r16snorm: [2, 2],
  r16uint: [2, 2],
  r16sint: [2, 2],
  r16float: [2, 2],
  rg16unorm: [4, 2],
  rg16snorm: [4, 2],
  rg16uint: [4, 2],
  rg16sint: [4, 2],
  rg16float: [4, 2],
  rgba16unorm: [8, 2],
  rgba16snorm: [8, 2],
  rgba16uint: [8, 2],
  rgba16sint: [8, 2],
  rgba16float: [8, 2],
  r32uint: [4, 4],
  r32sint: [4, 4],
  r32float: [4, 4],
  rg32uint: [8, 4],
  rg32sint: [8, 4],
  rg32float: [8, 4],
  rgba32uint: [16, 4],
  rgba32sint: [16, 4],
  rgba32float: [16, 4],
  rgb10a2uint: [8, 4],
  rgb10a2unorm: [8, 4],
  rg11b10ufloat: [8, 4],
};

/**
 * The color attachment bytes per sample of a list of color formats
 * (https://www.w3.org/TR/webgpu/#abstract-opdef-calculating-color-attachment-bytes-per-sample);
 * a format without a render target cost counts nothing (its own check reports it).
 */
export function colorAttachmentBytesPerSample(formats: readonly (string | null | undefined)[]): number {
  let total = 0;
  for (const format of formats) {
    const entry = format == null ? undefined : renderTargetCost[format];
    if (entry) total = Math.ceil(total / entry[1]) * entry[1] + entry[0];
  }
  return total;
}
