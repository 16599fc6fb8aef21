// The kernel's limit on a process's memory mappings (vm.max_map_count, 65530 by default on Linux).
// lavapipe maps memory for every descriptor set, so each live bind group is one mapping; past the
// limit its next mmap fails and the driver writes through the null result: the process dies
// (found with 65k live bind groups, on wgpu-native and Dawn alike, and in wgpu-py). Near the limit
// a creation is an out-of-memory error instead.
//
// One guard serves one kind of object (bind groups): the only one seen to map per object. The
// first group of a layout costs far more: the engine makes the layout's descriptor pool then
// (Dawn: 512 sets, 256 to 512 mappings of 4 KiB on lavapipe; one new layout per CTS case crashed
// after ~130 cases). Counting the mappings reads /proc/self/maps, so it is done rarely: each
// creation takes its cost off the room found at the last count, and the next count comes when
// half of that room is used (the rest is for whatever else the process maps meanwhile).
import { readFileSync } from "node:fs";

/** Mappings kept free for everything else the process maps (the engine, V8, the driver's own). */
const HEADROOM = 2048;
/** While refusing, how many creations go by before looking again whether objects were released. */
const RECHECK_NEAR = 128;
/** Mappings a bind group may add: its descriptor set (and its share of a pool). */
export const GROUP_MAPPINGS = 2;
/** Mappings the first bind group of a layout may add: the layout's descriptor pool, above what lavapipe was seen to take. */
export const POOL_MAPPINGS = 1024;

let limit: number | null | undefined;
/** A lower bound of the mappings left below the limit less the headroom: the last count less the costs since. */
let room = 0;
/** The room below which the next count comes (half the room found by the last one). */
let countBelow = 0;
/** The last count found too little room for a creation: the next waits RECHECK_NEAR creations. */
let short = false;
let untilRecheck = 0;
/** A group was refused: near the limit. */
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
  room = countBelow = untilRecheck = 0;
  short = near = false;
}

/**
 * Whether one more object of a kind (of which `live` are alive) that may add `cost` mappings
 * could take the process past its mapping limit and crash the driver. Released groups leave their
 * memory in the driver's pools (the count of mappings stays), where new ones fit: below the number
 * alive when the limit was reached, groups that need no new pool are made again.
 */
export function nearMapLimit(live: number, cost: number): boolean {
  if (near && live < liveAtLimit && cost <= GROUP_MAPPINGS) return false;
  if (room - cost < countBelow && (!short || untilRecheck-- <= 0)) {
    const max = mapLimit();
    if (max === null) {
      room = Infinity;
      countBelow = -Infinity;
      return (near = false);
    }
    room = max - HEADROOM - countMappings();
    countBelow = room >> 1;
    short = room < cost;
    untilRecheck = RECHECK_NEAR;
  }
  if (room < cost) {
    if (!near && cost <= GROUP_MAPPINGS) liveAtLimit = live;
    near ||= cost <= GROUP_MAPPINGS;
    return true;
  }
  near = false;
  room -= cost;
  return false;
}

/** The message of the out-of-memory error a refused creation gets. */
export function mapLimitMessage(ctx: string): string {
  return `${ctx}: the process is near the kernel's limit of ${mapLimit()} memory mappings (vm.max_map_count), and this driver maps memory for each object; release objects (dispose(), or drop them and let them be collected) or raise the limit`;
}
