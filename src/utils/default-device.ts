// getDefaultDevice: one device per process for scripts that do not care which (wgpu-py's get_default_device).
import { gpu, type GPUDevice } from "../backend.ts";

let device: GPUDevice | undefined;

/** The process's default device, made on first use from the default adapter. */
export function getDefaultDevice(): GPUDevice {
  if (device) return device;
  const adapter = gpu.requestAdapterSync({ powerPreference: "high-performance" });
  if (!adapter) throw new Error("wgpu-ts: getDefaultDevice found no adapter; see report() for the engine and adapters");
  device = adapter.requestDeviceSync();
  return device;
}
