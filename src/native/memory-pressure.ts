// What V8 is told about the engine memory behind our objects. V8 sees a few dozen bytes per
// object and would collect dropped ones rarely, while each holds about a kilobyte in the engine: a
// loop that drops its encoders and bind groups would grow by hundreds of MB before a full
// collection. Each object therefore holds a share of an ArrayBuffer, which V8 counts as external
// memory (as napi_adjust_external_memory would) and collects for.
//
// - Shares, not blocks: SHARES objects hold one slab of SHARES x the bytes, so that an object
//   costs no allocation of its own (a 4 KiB ArrayBuffer each took ~1 us per object on an H200);
//   the slab goes when its last holder is collected, and V8's count grows at the same rate.
// - Objects released by dispose hand their share to the next objects: a loop that creates and
//   disposes adds no external memory, so it triggers no major collections (they were half the
//   time of a create+release loop). Dropped objects take theirs with them.
// - A destroyed buffer or texture trades its share for a smaller one: its engine object (~750 B)
//   stays until collected (300k of them with none grew RSS by 225 MiB and counting).
// - A bind group layout counts as a descriptor pool: the engine makes one per layout at its first
//   bind group (Dawn: 512 sets; 1 MiB on lavapipe, as 256 separate 4 KiB mappings). Counted at
//   4 KiB, a run of distinct layouts (the CTS makes one per case) was collected only every few
//   hundred, and lavapipe ran past vm.max_map_count (65530) and crashed on the failed mmap. Only
//   the first live wrapper of an engine layout counts (Dawn returns the same layout for equal ones).

/** Bytes counted per live object. */
const OBJECT_BYTES = 4096;
/** Bytes counted per destroyed buffer or texture. */
const DESTROYED_BYTES = 1024;
/** Bytes counted per engine bind group layout (its descriptor pool). */
const LAYOUT_BYTES = 1 << 20;
/** Objects per slab. */
const SHARES = 16;
const MAX_SPARE = 1024;

/** A share: the slab it is a part of (holding it keeps the slab alive). */
export type PressureShare = ArrayBuffer;

class Slabs {
  #slab: ArrayBuffer | null = null;
  #left = 0;
  made = 0;
  constructor(readonly bytes: number) {}

  take(): PressureShare {
    if (this.#left === 0) {
      this.#slab = new ArrayBuffer(this.bytes * SHARES);
      this.#left = SHARES;
    }
    this.#left--;
    this.made++;
    return this.#slab as ArrayBuffer;
  }
}

const full = new Slabs(OBJECT_BYTES);
const small = new Slabs(DESTROYED_BYTES);
const layouts = new Slabs(LAYOUT_BYTES);
const spare: PressureShare[] = [];

/** The share of a new object. */
export function takeShare(): PressureShare {
  return spare.pop() ?? full.take();
}

/** The share of an engine bind group layout's first live wrapper. */
export function takeLayoutShare(): PressureShare {
  return layouts.take();
}

/** An object released by dispose gives its share to the next objects. */
export function giveBackShare(share: PressureShare | null): void {
  if (share !== null && share.byteLength === OBJECT_BYTES * SHARES && spare.length < MAX_SPARE) spare.push(share);
}

/** A destroyed object's share traded for the smaller one its remains need. */
export function shrinkShare(share: PressureShare | null): PressureShare | null {
  if (share === null || share.byteLength !== OBJECT_BYTES * SHARES) return share;
  giveBackShare(share);
  return small.take();
}

/** @internal For tests: bind group layout shares handed out so far. */
export function layoutShares(): number {
  return layouts.made;
}

/** @internal For tests: full-size shares handed out from new slabs so far, and spare ones now. */
export function pressureBlocks(): { made: number; spare: number } {
  return { made: full.made, spare: spare.length };
}
