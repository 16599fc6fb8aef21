// Finding an engine installed as an npm package: @wgpu-ts/<engine>-<platform>-<arch>, which
// `npm install wgpu-ts` brings for wgpu-native (an optional dependency; Dawn is installed by name).
// Each package has ENGINE.json (scripts/engines.mjs writes it) naming its library and, where the
// package was built with it, the replay helper; both paths are relative to the package.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface InstalledEngine {
  /** The npm package, e.g. "@wgpu-ts/wgpu-native-linux-x64". */
  packageName: string;
  /** The engine library's absolute path. */
  libraryPath: string;
  /** The replay helper's absolute path, when the package has one. */
  replayPath?: string;
}

interface EngineFile {
  library: string;
  replay?: { library: string };
}

/** The package name of `engine` for this platform. */
export function enginePackageName(engine: string): string {
  return `@wgpu-ts/${engine}-${process.platform}-${process.arch}`;
}

const require = createRequire(import.meta.url);

/** The installed package of `engine` for this platform, or why there is none. */
export function findInstalledEngine(engine: string): InstalledEngine | { problem: string } {
  const packageName = enginePackageName(engine);
  let dir: string;
  try {
    dir = dirname(require.resolve(`${packageName}/package.json`));
  } catch {
    return { problem: `the package ${packageName} is not installed` };
  }
  try {
    const info = JSON.parse(readFileSync(join(dir, "ENGINE.json"), "utf8")) as EngineFile;
    return { packageName, libraryPath: join(dir, info.library), ...(info.replay && { replayPath: join(dir, info.replay.library) }) };
  } catch (e) {
    return { problem: `${packageName} (${dir}) has no readable ENGINE.json: ${(e as Error).message}` };
  }
}
