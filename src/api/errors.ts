// The WebGPU error and event classes (https://www.w3.org/TR/webgpu/#errors-and-debugging).

/**
 * Base of the errors that error scopes and `uncapturederror` report. Unlike the spec's, it
 * extends Error (apiDiff): strict mode throws it, and then it has a name and a stack.
 */
export class GPUError extends Error {
  declare readonly message: string;
  constructor(message: string) {
    super(String(message));
    Object.defineProperty(this, "name", { value: new.target.name, configurable: true, writable: true });
  }
}

export class GPUValidationError extends GPUError {
  declare readonly __brand: "GPUValidationError";
}
export class GPUOutOfMemoryError extends GPUError {
  declare readonly __brand: "GPUOutOfMemoryError";
}
export class GPUInternalError extends GPUError {
  declare readonly __brand: "GPUInternalError";
}

/** Why `createComputePipelineAsync`/`createRenderPipelineAsync` rejected. */
export class GPUPipelineError extends DOMException {
  readonly reason: GPUPipelineErrorReason;
  constructor(message = "", options: GPUPipelineErrorInit) {
    super(message, "GPUPipelineError");
    this.reason = options.reason;
  }
}

export class GPUUncapturedErrorEvent extends Event {
  readonly error: GPUError;
  constructor(type: string, init: { error: GPUError } & EventInit) {
    super(type, init);
    this.error = init.error;
  }
}

export class GPUDeviceLostInfo {
  readonly reason: GPUDeviceLostReason;
  readonly message: string;
  constructor(reason: GPUDeviceLostReason, message: string) {
    this.reason = reason;
    this.message = message;
  }
  declare readonly __brand: "GPUDeviceLostInfo";
}

export class GPUCompilationMessage {
  readonly message: string;
  readonly type: GPUCompilationMessageType;
  readonly lineNum: number;
  readonly linePos: number;
  readonly offset: number;
  readonly length: number;
  constructor(init: Omit<GPUCompilationMessage, "__brand">) {
    this.message = init.message;
    this.type = init.type;
    this.lineNum = init.lineNum;
    this.linePos = init.linePos;
    this.offset = init.offset;
    this.length = init.length;
  }
  declare readonly __brand: "GPUCompilationMessage";
}

export class GPUCompilationInfo {
  readonly messages: readonly GPUCompilationMessage[];
  constructor(messages: GPUCompilationMessage[]) {
    this.messages = Object.freeze(messages);
  }
  declare readonly __brand: "GPUCompilationInfo";
}
