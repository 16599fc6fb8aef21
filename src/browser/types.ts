// The extras in the types of the standard interfaces (@webgpu/types' globals), so that code
// written against those types sees them in both builds; what each does in a browser is its
// apiDiff note.
export {};

declare global {
  interface GPU {
    requestAdapterSync(options?: GPURequestAdapterOptions): GPUAdapter | null;
    enumerateAdapters(): Promise<GPUAdapter[]>;
    enumerateAdaptersSync(): GPUAdapter[];
  }
  interface GPUAdapter {
    label: string;
    readonly summary: string;
    requestDeviceSync(descriptor?: GPUDeviceDescriptor): GPUDevice;
  }
  interface GPUDevice {
    readonly adapter: GPUAdapter | null;
    createBufferWithData(data: AllowSharedBufferSource, usage: GPUBufferUsageFlags, label?: string): GPUBuffer;
    createComputePipelineAsyncSync(descriptor: GPUComputePipelineDescriptor): GPUComputePipeline;
    createRenderPipelineAsyncSync(descriptor: GPURenderPipelineDescriptor): GPURenderPipeline;
    popErrorScopeSync(): GPUError | null;
  }
  interface GPUBuffer {
    mapSync(mode: GPUMapModeFlags, offset?: GPUSize64, size?: GPUSize64): undefined;
    readMapped(offset?: GPUSize64, size?: GPUSize64): ArrayBuffer;
    writeMapped(data: AllowSharedBufferSource, offset?: GPUSize64): void;
  }
  interface GPUQueue {
    readBuffer(buffer: GPUBuffer, offset?: GPUSize64, size?: GPUSize64): Promise<ArrayBuffer>;
    readBufferSync(buffer: GPUBuffer, offset?: GPUSize64, size?: GPUSize64): ArrayBuffer;
    readTexture(
      source: GPUTexelCopyTextureInfo,
      dataLayout?: GPUTexelCopyBufferLayout | GPUExtent3DStrict | null,
      size?: GPUExtent3DStrict,
    ): Promise<ArrayBuffer>;
    readTextureSync(source: GPUTexelCopyTextureInfo, dataLayout?: GPUTexelCopyBufferLayout | GPUExtent3DStrict | null, size?: GPUExtent3DStrict): ArrayBuffer;
    onSubmittedWorkDoneSync(): undefined;
  }
  interface GPUShaderModule {
    getCompilationInfoSync(): GPUCompilationInfo;
  }
  interface GPUTexture {
    readonly size: [number, number, number];
  }
  interface GPUTextureView {
    readonly texture: GPUTexture;
    readonly size: [number, number, number];
  }
  interface GPUCanvasContext {
    present(): undefined;
  }
}
