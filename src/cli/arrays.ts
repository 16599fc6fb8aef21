// Typed arrays in and out of files for `wgpu-ts run`: raw .bin, NumPy's .npy (format 1.0,
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html) and JSON arrays.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { extname } from "node:path";

export type NumericArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;
type NumericArrayConstructor = {
  new (length: number): NumericArray;
  new (buffer: ArrayBuffer, offset?: number, length?: number): NumericArray;
  BYTES_PER_ELEMENT: number;
};

/** The element types, by the names the command line uses, with NumPy's dtype of each. */
export const elementTypes: Record<string, { array: NumericArrayConstructor; dtype: string }> = {
  f32: { array: Float32Array, dtype: "<f4" },
  u32: { array: Uint32Array, dtype: "<u4" },
  i32: { array: Int32Array, dtype: "<i4" },
  f64: { array: Float64Array, dtype: "<f8" },
  u16: { array: Uint16Array, dtype: "<u2" },
  i16: { array: Int16Array, dtype: "<i2" },
  u8: { array: Uint8Array, dtype: "|u1" },
  i8: { array: Int8Array, dtype: "|i1" },
};

export function elementTypeName(a: NumericArray): string {
  return Object.entries(elementTypes).find(([, t]) => a instanceof t.array)![0];
}

const npyMagic = Uint8Array.of(0x93, ...new TextEncoder().encode("NUMPY"));

export function encodeNpy(a: NumericArray): Uint8Array {
  const dtype = elementTypes[elementTypeName(a)].dtype;
  let header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${a.length},), }`;
  // Magic (6) + version (2) + length (2) + header + "\n" is a multiple of 64.
  header = header.padEnd(Math.ceil((10 + header.length + 1) / 64) * 64 - 10 - 1) + "\n";
  const out = new Uint8Array(10 + header.length + a.byteLength);
  out.set(npyMagic);
  out.set([1, 0, header.length & 0xff, header.length >> 8], 6);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), 10 + header.length);
  return out;
}

export function decodeNpy(bytes: Uint8Array, name: string): NumericArray {
  if (bytes.length < 10 || !npyMagic.every((b, i) => bytes[i] === b)) throw new Error(`${name}: not a .npy file`);
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  if (/'fortran_order':\s*True/.test(header)) throw new Error(`${name}: Fortran-ordered arrays are not supported`);
  const entry = Object.entries(elementTypes).find(([, t]) => t.dtype === descr || t.dtype.replace("|", "<") === descr);
  if (!entry)
    throw new Error(
      `${name}: dtype ${descr} is not one of ${Object.values(elementTypes)
        .map((t) => t.dtype)
        .join(", ")} (little-endian)`,
    );
  const data = new Uint8Array(bytes.subarray(start + headerLength)); // a copy: a Buffer may be a view into a shared pool
  const { array } = entry[1];
  if (data.byteLength % array.BYTES_PER_ELEMENT) throw new Error(`${name}: ${data.byteLength} bytes of data is not a whole number of ${descr} elements`);
  return new array(data.buffer, 0, data.byteLength / array.BYTES_PER_ELEMENT);
}

/** A JSON array of numbers as a typed array of `type`. */
export function fromJson(text: string, type: string, name: string): NumericArray {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${name}: not JSON: ${(e as Error).message}`);
  }
  const flat = Array.isArray(value) ? (value as unknown[]).flat(Infinity) : [value];
  if (!flat.every((v) => typeof v === "number")) throw new Error(`${name}: a JSON input must be a number or an array of numbers`);
  const a = new elementTypes[type].array(flat.length);
  a.set(flat as number[]);
  return a;
}

/** Reads an input: a .npy, .json or raw (.bin or any other) file, or inline JSON; `type` is the element type for JSON. */
export function readInput(source: string, type: string | undefined, name: string): ArrayBufferView {
  const inline = /^\s*[[\d.-]/.test(source) && !existsSync(source);
  if (inline || extname(source) === ".json") {
    if (!type)
      throw new Error(
        `${name}: the element type of a JSON input comes from the shader's declaration, and it names none this command knows (${Object.keys(elementTypes).join(", ")}); use a .bin or .npy file`,
      );
    return fromJson(inline ? source : readFileSync(source, "utf8"), type, name);
  }
  const bytes = new Uint8Array(readFileSync(source));
  return extname(source) === ".npy" ? decodeNpy(bytes, source) : bytes;
}

/** The array as JSON text (floats as JS prints them). */
export function toJson(a: NumericArray): string {
  return JSON.stringify(Array.from(a));
}

/** Writes an output by its file's extension: .npy, .json, else raw bytes. */
export function writeOutput(path: string, a: NumericArray): void {
  const ext = extname(path);
  if (ext === ".npy") writeFileSync(path, encodeNpy(a));
  else if (ext === ".json") writeFileSync(path, toJson(a) + "\n");
  else writeFileSync(path, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}
