// The WebIDL shape of the exported classes' prototypes, which code and tests written for browsers
// (and dawn.node) rely on:
// - Symbol.toStringTag on every interface: Object.prototype.toString and console.log name the
//   class, not "EventTarget".
// - Attributes and operations are enumerable (JS classes make them not): `for (k in buffer)` lists
//   size, usage and label, as the CTS's reflection tests read them.
// - An extra attribute (apiDiff "added") has a setter that makes an own property: in a browser the
//   name is free, and code may set it (the CTS sets `texture.size` to pass a texture as a descriptor).
import { apiDiff } from "./api-diff.ts";

/** True for a class (not a plain function that happens to have a prototype). */
export function isClass(value: unknown): value is abstract new (...args: never[]) => unknown {
  return typeof value === "function" && /^class[\s{]/.test(Function.prototype.toString.call(value));
}

const addedMembers = new Set(apiDiff.filter((d) => d.kind === "added").map((d) => d.target));

/** Makes the string-named members of `proto` and of its non-exported bases as WebIDL has them. */
function shapeMembers(name: string, proto: object): void {
  for (let p: object | null = proto; p && p !== Object.prototype && p !== EventTarget.prototype; p = Object.getPrototypeOf(p)) {
    for (const key of Object.getOwnPropertyNames(p)) {
      if (key === "constructor") continue;
      const d = Object.getOwnPropertyDescriptor(p, key)!;
      if (!d.configurable) continue;
      if (d.get && !d.set && addedMembers.has(`${name}.${key}`)) {
        d.set = function (this: object, value: unknown) {
          Object.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
        };
      }
      Object.defineProperty(p, key, { ...d, enumerable: true });
    }
  }
}

/** Gives every class among `exports` its exported name as Symbol.toStringTag, and WebIDL's enumerable members. */
export function tagClasses(exports: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(exports)) {
    if (!isClass(value)) continue;
    Object.defineProperty(value.prototype, Symbol.toStringTag, { value: name, configurable: true });
    if (/^GPU/.test(name)) shapeMembers(name, value.prototype);
  }
}
