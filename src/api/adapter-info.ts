// Value classes that describe adapters and devices: features, limits, adapter info.

/** A read-only set of strings (Web IDL `readonly setlike<DOMString>`). */
class ReadonlyStringSet implements ReadonlySet<string> {
  readonly #set: Set<string>;
  constructor(values: Iterable<string>) {
    this.#set = new Set(values);
  }
  get size(): number {
    return this.#set.size;
  }
  has(value: string): boolean {
    return this.#set.has(value);
  }
  forEach(cb: (value: string, key: string, set: ReadonlySet<string>) => void, thisArg?: unknown): void {
    for (const v of this.#set) cb.call(thisArg, v, v, this);
  }
  entries(): SetIterator<[string, string]> {
    return this.#set.entries();
  }
  keys(): SetIterator<string> {
    return this.#set.keys();
  }
  values(): SetIterator<string> {
    return this.#set.values();
  }
  [Symbol.iterator](): SetIterator<string> {
    return this.#set.values();
  }
}

export class GPUSupportedFeatures extends ReadonlyStringSet {
  declare readonly __brand: "GPUSupportedFeatures";
}

export class WGSLLanguageFeatures extends ReadonlyStringSet {
  declare readonly __brand: "WGSLLanguageFeatures";
}

/** Every limit of the WebGPU spec (GPUSupportedLimits), in the IDL's order. */
export const limitNames = [
  "maxTextureDimension1D",
  "maxTextureDimension2D",
  "maxTextureDimension3D",
  "maxTextureArrayLayers",
  "maxBindGroups",
  "maxBindGroupsPlusVertexBuffers",
  "maxImmediateSize",
  "maxBindingsPerBindGroup",
  "maxDynamicUniformBuffersPerPipelineLayout",
  "maxDynamicStorageBuffersPerPipelineLayout",
  "maxSampledTexturesPerShaderStage",
  "maxSamplersPerShaderStage",
  "maxStorageBuffersPerShaderStage",
  "maxStorageBuffersInVertexStage",
  "maxStorageBuffersInFragmentStage",
  "maxStorageTexturesPerShaderStage",
  "maxStorageTexturesInVertexStage",
  "maxStorageTexturesInFragmentStage",
  "maxUniformBuffersPerShaderStage",
  "maxUniformBufferBindingSize",
  "maxStorageBufferBindingSize",
  "minUniformBufferOffsetAlignment",
  "minStorageBufferOffsetAlignment",
  "maxVertexBuffers",
  "maxBufferSize",
  "maxVertexAttributes",
  "maxVertexBufferArrayStride",
  "maxInterStageShaderVariables",
  "maxColorAttachments",
  "maxColorAttachmentBytesPerSample",
  "maxComputeWorkgroupStorageSize",
  "maxComputeInvocationsPerWorkgroup",
  "maxComputeWorkgroupSizeX",
  "maxComputeWorkgroupSizeY",
  "maxComputeWorkgroupSizeZ",
  "maxComputeWorkgroupsPerDimension",
] as const;

export type LimitName = (typeof limitNames)[number];

/**
 * The spec's default of each limit (core, https://www.w3.org/TR/webgpu/#limit-default): what a
 * device has when it asks for nothing, and the least an adapter may report. An engine that lacks
 * a limit (reads 0 for it) reports this instead.
 */
export const limitDefaults: Readonly<Record<LimitName, number>> = {
  maxTextureDimension1D: 8192,
  maxTextureDimension2D: 8192,
  maxTextureDimension3D: 2048,
  maxTextureArrayLayers: 256,
  maxBindGroups: 4,
  maxBindGroupsPlusVertexBuffers: 24,
  maxImmediateSize: 0,
  maxBindingsPerBindGroup: 1000,
  maxDynamicUniformBuffersPerPipelineLayout: 8,
  maxDynamicStorageBuffersPerPipelineLayout: 4,
  maxSampledTexturesPerShaderStage: 16,
  maxSamplersPerShaderStage: 16,
  maxStorageBuffersPerShaderStage: 8,
  maxStorageBuffersInVertexStage: 8,
  maxStorageBuffersInFragmentStage: 8,
  maxStorageTexturesPerShaderStage: 4,
  maxStorageTexturesInVertexStage: 4,
  maxStorageTexturesInFragmentStage: 4,
  maxUniformBuffersPerShaderStage: 12,
  maxUniformBufferBindingSize: 65536,
  maxStorageBufferBindingSize: 134217728,
  minUniformBufferOffsetAlignment: 256,
  minStorageBufferOffsetAlignment: 256,
  maxVertexBuffers: 8,
  maxBufferSize: 268435456,
  maxVertexAttributes: 16,
  maxVertexBufferArrayStride: 2048,
  maxInterStageShaderVariables: 16,
  maxColorAttachments: 8,
  maxColorAttachmentBytesPerSample: 32,
  maxComputeWorkgroupStorageSize: 16384,
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupSizeY: 256,
  maxComputeWorkgroupSizeZ: 64,
  maxComputeWorkgroupsPerDimension: 65535,
};

/** Limits that engines without them report as the limit they refine (as in core, non-compat WebGPU). */
export const derivedLimits: Partial<Record<LimitName, LimitName>> = {
  maxStorageBuffersInVertexStage: "maxStorageBuffersPerShaderStage",
  maxStorageBuffersInFragmentStage: "maxStorageBuffersPerShaderStage",
  maxStorageTexturesInVertexStage: "maxStorageTexturesPerShaderStage",
  maxStorageTexturesInFragmentStage: "maxStorageTexturesPerShaderStage",
};

export interface GPUSupportedLimits extends Readonly<Record<LimitName, number>> {}
export class GPUSupportedLimits {
  readonly #values: Record<LimitName, number>;
  constructor(values: Record<LimitName, number>) {
    this.#values = { ...values };
  }
  static {
    for (const name of limitNames) {
      Object.defineProperty(this.prototype, name, {
        get(this: GPUSupportedLimits) {
          return this.#values[name];
        },
        enumerable: true,
        configurable: true,
      });
    }
  }
  declare readonly __brand: "GPUSupportedLimits";
}

export class GPUAdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly subgroupMinSize: number;
  readonly subgroupMaxSize: number;
  readonly isFallbackAdapter: boolean;
  constructor(init: Omit<GPUAdapterInfo, "__brand">) {
    this.vendor = init.vendor;
    this.architecture = init.architecture;
    this.device = init.device;
    this.description = init.description;
    this.subgroupMinSize = init.subgroupMinSize;
    this.subgroupMaxSize = init.subgroupMaxSize;
    this.isFallbackAdapter = init.isFallbackAdapter;
  }
  declare readonly __brand: "GPUAdapterInfo";
}
