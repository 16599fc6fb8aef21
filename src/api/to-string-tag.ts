// Symbol.toStringTag on the WebGPU classes, as WebIDL gives every interface (and browsers and
// dawn.node have): Object.prototype.toString and console.log name the class, not "EventTarget".

/** True for a class (not a plain function that happens to have a prototype). */
export function isClass(value: unknown): value is abstract new (...args: never[]) => unknown {
  return typeof value === "function" && /^class[\s{]/.test(Function.prototype.toString.call(value));
}

/** Gives every class among `exports` its exported name as Symbol.toStringTag. */
export function tagClasses(exports: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(exports)) {
    if (!isClass(value)) continue;
    Object.defineProperty(value.prototype, Symbol.toStringTag, { value: name, configurable: true });
  }
}
