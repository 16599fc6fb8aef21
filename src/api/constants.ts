// The WebGPU flag namespaces. Their values equal webgpu.h's, so they pass to the engine unchanged.

/** https://www.w3.org/TR/webgpu/#buffer-usage */
export const GPUBufferUsage = Object.freeze({
  MAP_READ: 0x0001,
  MAP_WRITE: 0x0002,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  INDEX: 0x0010,
  VERTEX: 0x0020,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
  INDIRECT: 0x0100,
  QUERY_RESOLVE: 0x0200,
} as const);

/** https://www.w3.org/TR/webgpu/#texture-usage */
export const GPUTextureUsage = Object.freeze({
  COPY_SRC: 0x01,
  COPY_DST: 0x02,
  TEXTURE_BINDING: 0x04,
  STORAGE_BINDING: 0x08,
  RENDER_ATTACHMENT: 0x10,
  /** In the spec; wgpu-native 29 aborts on it, so createTexture makes it a validation error. */
  TRANSIENT_ATTACHMENT: 0x20,
} as const);

/** https://www.w3.org/TR/webgpu/#typedefdef-gpushaderstageflags */
export const GPUShaderStage = Object.freeze({ VERTEX: 0x1, FRAGMENT: 0x2, COMPUTE: 0x4 } as const);

/** https://www.w3.org/TR/webgpu/#typedefdef-gpumapmodeflags */
export const GPUMapMode = Object.freeze({ READ: 0x0001, WRITE: 0x0002 } as const);

/** https://www.w3.org/TR/webgpu/#typedefdef-gpucolorwriteflags */
export const GPUColorWrite = Object.freeze({ RED: 0x1, GREEN: 0x2, BLUE: 0x4, ALPHA: 0x8, ALL: 0xf } as const);
