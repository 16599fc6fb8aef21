// CommonJS: require("wgpu-ts") (require of an ES module, Node 20.19+ / 22.12+).
const wgpu = require("wgpu-ts");
require("./compute.cjs")
  .run(wgpu, "cjs")
  .then((r) => console.log(JSON.stringify(r)));
