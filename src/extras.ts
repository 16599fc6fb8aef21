// wgpu-ts/native: what a browser cannot do, over the native engines (wgpu-py's wgpu_native extras,
// in camelCase). Each function checks the device's features and says which one is missing.
/// <reference types="@webgpu/types" preserve="true" />
/// <reference lib="esnext.disposable" preserve="true" />
export {
  PipelineStatisticName,
  beginPipelineStatisticsQuery,
  createPipelineLayout,
  createStatisticsQuerySet,
  endPipelineStatisticsQuery,
  getTimestampPeriod,
  multiDrawIndexedIndirect,
  multiDrawIndexedIndirectCount,
  multiDrawIndirect,
  multiDrawIndirectCount,
  pipelineStatisticNames,
  readPipelineStatistics,
  setImmediates,
  setPushConstants,
  writeTimestamp,
  type NativePipelineLayoutDescriptor,
  type PushConstantLayout,
} from "./native/extras/commands.ts";
export {
  createShaderModuleGLSL,
  createShaderModuleSPIRV,
  requestDevice,
  requestDeviceSync,
  setInstanceExtras,
  type GLSLModuleDescriptor,
  type InstanceBackendName,
  type InstanceExtras,
  type InstanceFlagName,
  type SPIRVModuleDescriptor,
} from "./native/extras/device.ts";
export { engineObjectCounts, type EngineRegistryCounts } from "./backend.ts";
export { formatReport, printReport, report, type AdapterReport, type Report } from "./utils/report.ts";
