// Web IDL-style argument conversion with errors that name the method and the member.
// Everything a JS caller passes goes through here before it can reach the engine.

export function typeError(ctx: string, member: string, message: string): never {
  throw new TypeError(`${ctx}: ${member} ${message}`);
}

export function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
  if (typeof v === "bigint") return `${v}n`;
  if (v === null) return "null";
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  if (typeof v === "function") return "a function";
  return String(v);
}

/** A dictionary argument: `undefined`/`null` become `{}` unless required. */
export function dict<T extends object>(ctx: string, member: string, v: T | undefined | null, required = false): T {
  if (v === undefined || v === null) {
    if (required) typeError(ctx, member, "is required");
    return {} as T;
  }
  if (typeof v !== "object" && typeof v !== "function") typeError(ctx, member, `must be an object, got ${describe(v)}`);
  return v;
}

function toNumber(ctx: string, member: string, v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint" || typeof v === "symbol") typeError(ctx, member, `must be a number, got ${describe(v)}`);
  return Number(v);
}

/** An [EnforceRange] integer in [0, max]. */
export function integer(ctx: string, member: string, v: unknown, max: number, min = 0): number {
  if (v === undefined) typeError(ctx, member, "is required");
  const n = toNumber(ctx, member, v);
  if (!Number.isFinite(n)) typeError(ctx, member, `must be a finite number, got ${describe(v)}`);
  const t = Math.trunc(n);
  if (t < min || t > max) typeError(ctx, member, `(${describe(v)}) is out of range [${min}, ${max}]`);
  return t === 0 ? 0 : t;
}

/** A Web IDL `float`/`double` member: finite, else (NaN, infinities, a Symbol, a BigInt) a TypeError. */
export function finiteNumber(ctx: string, member: string, v: unknown, fallback?: number): number {
  if (v === undefined && fallback !== undefined) return fallback;
  const n = typeof v === "number" ? v : typeof v === "bigint" || typeof v === "symbol" ? NaN : Number(v);
  if (!Number.isFinite(n)) typeError(ctx, member, `must be a finite number, got ${describe(v)}`);
  return n;
}

export const U32_MAX = 0xffffffff;
export const U64_MAX = Number.MAX_SAFE_INTEGER;

export function u32(ctx: string, member: string, v: unknown, fallback?: number): number {
  if (v === undefined && fallback !== undefined) return fallback;
  return integer(ctx, member, v, U32_MAX);
}

/** GPUSize64: the range is cut at 2^53 - 1, the largest integer a JS number holds exactly. */
export function u64(ctx: string, member: string, v: unknown, fallback?: number): number {
  if (v === undefined && fallback !== undefined) return fallback;
  return integer(ctx, member, v, U64_MAX);
}

export function i32(ctx: string, member: string, v: unknown, fallback?: number): number {
  if (v === undefined && fallback !== undefined) return fallback;
  return integer(ctx, member, v, 0x7fffffff, -0x80000000);
}

export function bool(v: unknown, fallback = false): boolean {
  return v === undefined ? fallback : Boolean(v);
}

export function str(ctx: string, member: string, v: unknown, fallback?: string): string {
  if (v === undefined) {
    if (fallback !== undefined) return fallback;
    typeError(ctx, member, "is required");
  }
  if (typeof v === "symbol") typeError(ctx, member, "must be a string, got a symbol");
  return String(v);
}

export function label(ctx: string, v: unknown): string {
  return str(ctx, "label", v, "");
}

/** A string enum member: the error lists the allowed values. */
export function enumValue(ctx: string, member: string, v: unknown, map: Readonly<Record<string, number>>, fallback?: string): number {
  if (v === undefined && fallback !== undefined) v = fallback;
  if (typeof v === "string" && Object.hasOwn(map, v)) return map[v];
  if (v === undefined) typeError(ctx, member, "is required");
  return typeError(
    ctx,
    member,
    `(${describe(v)}) must be one of ${Object.keys(map)
      .map((k) => `"${k}"`)
      .join(", ")}`,
  );
}

/** A sequence argument: any iterable (Web IDL sequence<T>), returned as an array. */
export function sequence<T>(ctx: string, member: string, v: Iterable<T> | undefined, fallback?: T[]): T[] {
  if (v === undefined && fallback !== undefined) return fallback;
  if (v === null || v === undefined || typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function" || typeof v === "string") {
    typeError(ctx, member, `must be a sequence (an array or other iterable), got ${describe(v)}`);
  }
  return Array.from(v);
}

/** An interface argument: an instance of `cls`. */
export function instance<T>(ctx: string, member: string, v: unknown, cls: abstract new (...args: never[]) => T): T {
  if (!(v instanceof cls)) typeError(ctx, member, `must be a ${cls.name}, got ${describe(v)}`);
  return v as T;
}
