// What the commands that run shaders share: a strict device (the first GPU error stops the command
// with its message, not a trail of errors about invalid objects) and a compile step that reports
// the file's errors as `wgpu-ts validate` does.
import { gpu, type GPUDevice, type GPUShaderModule } from "../backend.ts";
import { formatMessage, sourceMessages } from "./commands/validate.ts";

export function strictDevice(): GPUDevice {
  const adapter = gpu.requestAdapterSync({ powerPreference: "high-performance" });
  if (!adapter) throw new Error("wgpu-ts: no adapter found (wgpu-ts info says what the engine sees)");
  return adapter.requestDeviceSync({ strict: true, label: "wgpu-ts" } as GPUDeviceDescriptor);
}

/** Compiles `code` (the file's text, maybe with more after it); throws the file's errors, formatted. */
export function compileFile(device: GPUDevice, file: string, fileText: string, code = fileText): GPUShaderModule {
  device.pushErrorScope("validation");
  const module = device.createShaderModule({ code, label: file });
  const errors = module.getCompilationInfoSync().messages.filter((m) => m.type === "error");
  const scopeError = device.popErrorScopeSync();
  if (errors.length || scopeError) {
    const text = errors.length
      ? sourceMessages(errors)
          .map((m) => formatMessage(file, fileText, m))
          .join("\n")
      : scopeError!.message;
    throw new Error(`${file} does not compile:\n${text}`);
  }
  return module;
}
