// The backend behind `gpu`: the native one in Node.js.
import { GPU } from "./native/index.ts";

export * from "./native/index.ts";

/** The root object of WebGPU, as `navigator.gpu` is in a browser. */
export const gpu = new GPU();
