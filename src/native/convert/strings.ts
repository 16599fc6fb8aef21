// WGPUStringView <-> JS string.
import koffi from "koffi";

export interface StringViewValue {
  data: bigint | null;
  length: number | bigint;
}

const STRLEN = 0xffffffffffffffffn;

/** Copies a WGPUStringView received from the engine into a JS string. */
export function readStringView(sv: StringViewValue | null | undefined): string {
  if (!sv?.data) return "";
  const len = BigInt(sv.length);
  if (len === STRLEN || Number(len) >= Number(STRLEN)) return koffi.decode.string(sv.data);
  if (len === 0n) return "";
  return koffi.decode.string(sv.data, Number(len));
}

/** Reads the WGPUStringView stored at `addr` in native memory. */
export function readStringViewAt(addr: bigint): string {
  return readStringView(koffi.decode(addr, "WGPUStringView") as StringViewValue);
}
