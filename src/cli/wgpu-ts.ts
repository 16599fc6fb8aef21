#!/usr/bin/env node
// The wgpu-ts command's entry point. It turns on Node's compile cache (V8's code cache on disk,
// in os.tmpdir()/node-compile-cache or NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it
// off) before it loads the command and the library, whose compile is ~10 ms of each start. A tool
// may do this for its process; the library does not, as it would decide it for its user's.
// The cache serves only modules compiled after this call, hence the dynamic import (and no
// static one here: the bundle would put what this file imports in a chunk the library loads too).
process.getBuiltinModule("node:module").enableCompileCache?.();
await import("./main.ts");
