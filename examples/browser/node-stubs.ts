// What the examples take from node: modules, for the examples page: their scene functions run in a
// page, and their Node.js-only parts (saving PNGs, reading argv) never run there. The page's
// bundle (build.ts) maps node:url, node:fs and node:path here.
export const pathToFileURL = (path: string): URL => new URL(`about:blank#${encodeURIComponent(path)}`);
export const fileURLToPath = (url: string | URL): string => String(url);
export const dirname = (path: string): string => path.replace(/\/[^/]*$/, "");
export const join = (...parts: string[]): string => parts.join("/");
export const mkdirSync = (): undefined => undefined;
export const existsSync = (): boolean => false;
