// BufferSource (ArrayBuffer, SharedArrayBuffer, any TypedArray, DataView) -> bytes, without copying.
import { describe, typeError, u64 } from "./check.ts";

export function bufferSourceBytes(ctx: string, member: string, data: unknown): Uint8Array {
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && data instanceof SharedArrayBuffer)) return new Uint8Array(data);
  return typeError(ctx, member, `must be an ArrayBuffer, a TypedArray or a DataView, got ${describe(data)}`);
}

/**
 * The bytes `writeBuffer` copies: `dataOffset` and `size` count elements of a TypedArray, and
 * bytes of an ArrayBuffer or DataView (https://www.w3.org/TR/webgpu/#dom-gpuqueue-writebuffer).
 * Returns the original view when it is used whole, so the common call allocates nothing.
 */
export function writeBufferBytes(ctx: string, data: unknown, dataOffsetArg: unknown, sizeArg: unknown): ArrayBufferView {
  let elementSize = 1;
  let length: number;
  if (ArrayBuffer.isView(data)) {
    elementSize = data instanceof DataView ? 1 : (data as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    length = data.byteLength / elementSize;
  } else {
    const bytes = bufferSourceBytes(ctx, "data", data);
    data = bytes;
    length = bytes.byteLength;
  }
  const view = data as ArrayBufferView;
  const dataOffset = u64(ctx, "dataOffset", dataOffsetArg, 0);
  if (dataOffset > length) throw new DOMException(`${ctx}: dataOffset (${dataOffset}) is past the end of data (${length} elements)`, "OperationError");
  const size = u64(ctx, "size", sizeArg, length - dataOffset);
  if (dataOffset + size > length) {
    throw new DOMException(`${ctx}: dataOffset + size (${dataOffset} + ${size}) is past the end of data (${length} elements)`, "OperationError");
  }
  const byteSize = size * elementSize;
  if (byteSize % 4 !== 0) throw new DOMException(`${ctx}: the size in bytes (${byteSize}) must be a multiple of 4`, "OperationError");
  if (dataOffset === 0 && size === length && !(view instanceof DataView)) return view;
  return new Uint8Array(view.buffer, view.byteOffset + dataOffset * elementSize, byteSize);
}
