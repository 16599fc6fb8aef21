// A small static server on loopback for pages of wgpu-ts's browser build: the examples page here,
// the browser tests' page in test/browser.chromium.ts.
// Run: npx tsx examples/browser/serve.ts [port], then open the address it prints in a browser
// with WebGPU (npm run build first: the page takes dist/browser.js).
import { createServer, type Server } from "node:http";
import { readFileSync } from "node:fs";
import { join, normalize } from "node:path";
import { pathToFileURL } from "node:url";
import { bundlePage, root } from "./build.ts";

const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".png": "image/png", ".map": "application/json" };

export interface Site {
  /** Files served from memory, by path ("index.html", "main.js"). */
  files: Map<string, Uint8Array | string>;
  /** Folders of the repository served under a prefix: { "reference/": "test/reference" }. */
  folders?: Record<string, string>;
}

/** Serves `site` on 127.0.0.1 (a secure context, so the page has navigator.gpu) at a free port. */
export async function serve(site: Site, port = 0): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname).slice(1) || "index.html";
    let body = path === "favicon.ico" ? "" : site.files.get(path);
    for (const [prefix, folder] of Object.entries(site.folders ?? {})) {
      const file = normalize(path.slice(prefix.length));
      if (body === undefined && path.startsWith(prefix) && !file.startsWith("..")) {
        try {
          body = readFileSync(join(root, folder, file));
        } catch {}
      }
    }
    if (body === undefined) {
      res.writeHead(404).end(`${path}: not found`);
      return;
    }
    res.writeHead(200, { "content-type": types[path.slice(path.lastIndexOf("."))] ?? "application/octet-stream", "cache-control": "no-store" });
    res.end(body);
  });
  await new Promise<void>((done) => server.listen(port, "127.0.0.1", done));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("serve: no port");
  return { url: `http://127.0.0.1:${address.port}/`, server };
}

/** The examples page: its HTML and its bundled script. */
export async function examplesSite(): Promise<Site> {
  const bundle = await bundlePage({ main: join(root, "examples/browser/main.ts") });
  const files = new Map<string, Uint8Array | string>(bundle.files);
  files.set("index.html", readFileSync(join(root, "examples/browser/index.html")));
  return { files, folders: { "reference/": "test/reference" } };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { url } = await serve(await examplesSite(), Number(process.argv[2] ?? 0));
  console.log(`wgpu-ts examples page: ${url} (Ctrl-C stops)`);
}
