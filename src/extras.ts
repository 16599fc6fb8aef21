// wgpu-ts/native: what a browser cannot do, over the native engines (wgpu-py's wgpu_native extras,
// in camelCase). Each function checks the device's features and says which one is missing.
/// <reference types="@webgpu/types" preserve="true" />
/// <reference lib="esnext.disposable" preserve="true" />
import * as commands from "./native/extras/commands.ts";
import * as devices from "./native/extras/device.ts";
import { guardFunction } from "./native/guard.ts";

// Each function runs inside the guard that the classes' methods run in (native/guard.ts).
export const beginPipelineStatisticsQuery = guardFunction(commands.beginPipelineStatisticsQuery);
export const createPipelineLayout = guardFunction(commands.createPipelineLayout);
export const createStatisticsQuerySet = guardFunction(commands.createStatisticsQuerySet);
export const endPipelineStatisticsQuery = guardFunction(commands.endPipelineStatisticsQuery);
export const getTimestampPeriod = guardFunction(commands.getTimestampPeriod);
export const multiDrawIndexedIndirect = guardFunction(commands.multiDrawIndexedIndirect);
export const multiDrawIndexedIndirectCount = guardFunction(commands.multiDrawIndexedIndirectCount);
export const multiDrawIndirect = guardFunction(commands.multiDrawIndirect);
export const multiDrawIndirectCount = guardFunction(commands.multiDrawIndirectCount);
export const pipelineStatisticNames = guardFunction(commands.pipelineStatisticNames);
export const readPipelineStatistics = guardFunction(commands.readPipelineStatistics);
export const setImmediates = guardFunction(commands.setImmediates);
export const setPushConstants = guardFunction(commands.setPushConstants);
export const writeTimestamp = guardFunction(commands.writeTimestamp);
export const createShaderModuleGLSL = guardFunction(devices.createShaderModuleGLSL);
export const createShaderModuleSPIRV = guardFunction(devices.createShaderModuleSPIRV);
export const requestDevice = guardFunction(devices.requestDevice);
export const requestDeviceSync = guardFunction(devices.requestDeviceSync);
export const setInstanceExtras = guardFunction(devices.setInstanceExtras);
export { PipelineStatisticName, type NativePipelineLayoutDescriptor, type PushConstantLayout } from "./native/extras/commands.ts";
export type {
  GLSLModuleDescriptor,
  InstanceBackendName,
  InstanceExtras,
  InstanceFlagName,
  SPIRVModuleDescriptor,
} from "./native/extras/device.ts";
export { engineObjectCounts, type EngineRegistryCounts } from "./backend.ts";
export { formatReport, printReport, report, type AdapterReport, type Report } from "./utils/report.ts";
