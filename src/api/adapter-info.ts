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
