// An ES module: import * from "wgpu-ts".
import * as wgpu from "wgpu-ts";
import compute from "./compute.cjs";

console.log(JSON.stringify(await compute.run(wgpu, "mjs")));
