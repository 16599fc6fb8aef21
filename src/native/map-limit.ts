// The kernel's limit on a process's memory mappings (vm.max_map_count, 65530 by default on Linux).
// lavapipe maps memory for every descriptor set, so each live bind group is one mapping; past the
// limit its next mmap fails and the driver writes through the null result: the process dies
// (found with 65k live bind groups, on wgpu-native and Dawn alike, and in wgpu-py). Near the limit
// a creation is an out-of-memory error instead.
//
// One guard serves one kind of object (bind groups): the only one seen to map per object.
// Counting the mappings reads /proc/self/maps, so it is done rarely: a creation adds at most a
// couple of mappings, so after a count the next one waits for a quarter of the room left (the
// rest is for whatever else the process maps meanwhile).
import { readFileSync } from "node:fs";

/** Mappings kept free for everything else the process maps (the engine, V8, the driver's own). */
const HEADROOM = 2048;
/** While refusing, how often to look again whether objects were released. */
const RECHECK_NEAR = 128;

let limit: number | null | undefined;
let untilCheck = 0;
let near = false;
let liveAtLimit = 0;

function mapLimit(): number | null {
  if (limit !== undefined) return limit;
  try {
    limit = process.platform === "linux" ? Number(readFileSync("/proc/sys/vm/max_map_count", "utf8")) || null : null;
  } catch {
    limit = null;
  }
  return limit;
}

function countMappings(): number {
  const maps = readFileSync("/proc/self/maps"); // bytes: no string is made of the megabytes
  let lines = 0;
  for (let i = maps.indexOf(10); i !== -1; i = maps.indexOf(10, i + 1)) lines++;
  return lines;
}

/** @internal For tests: guards against a lower limit than the kernel's (null: the kernel's again). */
export function setMapLimit(max: number | null): void {
  limit = max ?? undefined;
  untilCheck = 0;
}

/**
 * Whether the process is so near its mapping limit that one more object of a kind (of which
 * `live` are alive) could crash the driver. Released objects leave their memory in the driver's
 * pools (the count of mappings stays), where new ones fit: below the number alive when the limit
 * was reached, creation goes on.
 */
export function nearMapLimit(live: number): boolean {
  if (near && live < liveAtLimit) return false;
  if (untilCheck-- > 0) return near;
  const max = mapLimit();
  if (max === null) {
    untilCheck = Infinity;
    return (near = false);
  }
  const room = max - HEADROOM - countMappings();
  if (room <= 0 && !near) liveAtLimit = live;
  near = room <= 0;
  untilCheck = near ? RECHECK_NEAR : Math.max(RECHECK_NEAR, room >> 2);
  return near;
}

/** The message of the out-of-memory error a refused creation gets. */
export function mapLimitMessage(ctx: string): string {
  return `${ctx}: the process is near the kernel's limit of ${mapLimit()} memory mappings (vm.max_map_count), and this driver maps memory for each object; release objects (dispose(), or drop them and let them be collected) or raise the limit`;
}
