// An X display for window tests: Xvfb, screenshots (xwd), synthetic input (xdotool), and the
// close request a window manager sends (WM_DELETE_WINDOW, through libX11).
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import koffi from "koffi";
import type { RgbaImage } from "../../src/utils/image.ts";

const tools = ["Xvfb", "xwd", "xdotool"];

/** Why windows cannot be tested here (a missing tool or library), or null. */
export function displayStackProblem(): string | null {
  const missing = tools.filter((t) => spawnSync("sh", ["-c", `command -v ${t}`]).status !== 0);
  try {
    koffi.load("libglfw.so.3");
  } catch {
    missing.push("libglfw.so.3");
  }
  return missing.length ? `the display stack is missing (${missing.join(", ")}; scripts/setup.sh installs it)` : null;
}

export interface Display {
  /** ":N", for DISPLAY. */
  name: string;
  stop(): void;
}

/** Starts Xvfb on a free display number (-displayfd) with a 24-bit screen. */
export async function startXvfb(width = 1024, height = 768): Promise<Display> {
  const server: ChildProcess = spawn("Xvfb", ["-displayfd", "3", "-screen", "0", `${width}x${height}x24`, "-nolisten", "tcp"], {
    stdio: ["ignore", "ignore", "pipe", "pipe"],
  });
  let log = "";
  server.stderr!.on("data", (d) => (log += d));
  const name = await new Promise<string>((resolve, reject) => {
    let out = "";
    server.stdio[3]!.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(`:${out.trim()}`);
    });
    server.on("exit", (code) => reject(new Error(`Xvfb exited (${code}): ${log}`)));
    setTimeout(() => reject(new Error(`Xvfb did not start in 10 s: ${log}`)), 10_000).unref();
  });
  return { name, stop: () => server.kill() };
}

export function xdotool(display: Display, ...args: string[]): string {
  return execFileSync("xdotool", args, { env: { ...process.env, DISPLAY: display.name }, encoding: "utf8", timeout: 10_000 }).trim();
}

/** The id of the window with this title, waiting for it to be mapped. */
export function findWindow(display: Display, title: string): string {
  return xdotool(display, "search", "--sync", "--onlyvisible", "--name", `^${title}$`).split("\n")[0];
}

/**
 * A window's content as RGBA8, from `xwd` (ZPixmap, 32 bits per pixel, TrueColor: what Xvfb
 * gives at depth 24); other layouts are refused, not guessed.
 */
export function screenshot(display: Display, windowId: string): RgbaImage {
  const xwd = execFileSync("xwd", ["-silent", "-id", windowId], { env: { ...process.env, DISPLAY: display.name }, timeout: 10_000, maxBuffer: 64 << 20 });
  const v = new DataView(xwd.buffer, xwd.byteOffset, xwd.byteLength);
  const u32 = (i: number) => v.getUint32(i * 4, false);
  const [headerSize, , format, , width, height, , byteOrder, , , , bitsPerPixel, bytesPerLine, visualClass, redMask, greenMask, blueMask] = Array.from(
    { length: 17 },
    (_, i) => u32(i),
  );
  const colormapEntries = u32(19);
  if (format !== 2 || bitsPerPixel !== 32 || visualClass !== 4)
    throw new Error(`screenshot: xwd gave format ${format}, ${bitsPerPixel} bits per pixel, visual class ${visualClass}; expected ZPixmap, 32, TrueColor`);
  const shift = (mask: number) => 31 - Math.clz32(mask & -mask);
  const pixels = headerSize + colormapEntries * 12;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = v.getUint32(pixels + y * bytesPerLine + x * 4, byteOrder === 0);
      data.set([(p & redMask) >>> shift(redMask), (p & greenMask) >>> shift(greenMask), (p & blueMask) >>> shift(blueMask), 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

type Call = (...args: unknown[]) => unknown;
type X11 = { open: Call; atom: (d: unknown, name: string) => number; send: Call; change: Call; flush: Call; close: Call };
let x11: X11 | undefined;

function libX11(): X11 {
  if (!x11) {
    const lib = koffi.load("libX11.so.6");
    const atom = lib.func("unsigned long XInternAtom(void *display, const char *name, int onlyIfExists)");
    x11 = {
      open: lib.func("void *XOpenDisplay(const char *name)"),
      atom: (d, name) => Number(atom(d, name, 0)),
      send: lib.func("int XSendEvent(void *display, unsigned long window, int propagate, long mask, uint8_t *event)"),
      change: lib.func(
        "int XChangeProperty(void *display, unsigned long window, unsigned long property, unsigned long type, int format, int mode, uint8_t *data, int count)",
      ),
      flush: lib.func("int XFlush(void *display)"),
      close: lib.func("int XCloseDisplay(void *display)"),
    };
  }
  return x11;
}

/**
 * Minimizes (iconic) or restores (normal) a window as a window manager does: by setting the
 * window's WM_STATE property (ICCCM 4.1.3.1), which GLFW watches. Xvfb runs no window manager.
 */
export function setWindowState(display: Display, windowId: string, state: "iconic" | "normal"): void {
  const x = libX11();
  const d = x.open(display.name);
  if (!d) throw new Error(`setWindowState: cannot open display ${display.name}`);
  const data = Buffer.alloc(16); // format 32 data are longs: state, icon window (None)
  data.writeBigInt64LE(state === "iconic" ? 3n : 1n, 0);
  const wmState = x.atom(d, "WM_STATE");
  x.change(d, Number(windowId), wmState, wmState, 32, 0 /* PropModeReplace */, data, 2);
  x.flush(d);
  x.close(d);
}

/** Asks a window to close as a window manager's close button does: a WM_DELETE_WINDOW client message. */
export function requestClose(display: Display, windowId: string): void {
  const x11 = libX11();
  const d = x11.open(display.name);
  if (!d) throw new Error(`requestClose: cannot open display ${display.name}`);
  const window = Number(windowId);
  // XClientMessageEvent (x86-64): type, serial, send_event, display, window, message_type, format, data.l[5].
  const event = Buffer.alloc(192);
  event.writeInt32LE(33, 0); // ClientMessage
  event.writeBigUInt64LE(BigInt(window), 32);
  event.writeBigUInt64LE(BigInt(x11.atom(d, "WM_PROTOCOLS")), 40);
  event.writeInt32LE(32, 48);
  event.writeBigUInt64LE(BigInt(x11.atom(d, "WM_DELETE_WINDOW")), 56);
  x11.send(d, window, 0, 0, event);
  x11.flush(d);
  x11.close(d);
}
