// Windows under Xvfb, on the engine under test: a window opens and presents the frame that the
// offscreen canvas draws (screenshot of the X display), resizing reconfigures the surface,
// synthetic input (xdotool) reaches the listeners, and closing the window ends the process.
// Without the display stack (Xvfb, xwd, xdotool, libglfw3) these fail in CI and skip elsewhere.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compareImages, createCanvas, gpu, installGlobals, writePng, type RgbaImage } from "../src/index.ts";
import { makeTriangle } from "../examples/triangle.ts";
import { makeCube } from "../examples/cube.ts";
import { engine, engineSkip } from "./helpers/engine.ts";
import { testDevice } from "./helpers/gpu.ts";
import { displayStackProblem, findWindow, requestClose, screenshot, setWindowState, startXvfb, xdotool, type Display } from "./helpers/x11.ts";

installGlobals(); // the example scenes read GPUBufferUsage and GPUTextureUsage from the global scope
const root = fileURLToPath(new URL("..", import.meta.url));
const problem = displayStackProblem();
if (problem && process.env.CI) throw new Error(`window tests: ${problem}`);
if (problem) console.log(`window tests skipped: ${problem}`);
const skip = problem ? { skip: problem } : {};

let display: Display;
before(async () => {
  if (!problem) display = await startXvfb();
});
after(() => display?.stop());

/** A child process whose stdout is JSON lines (and "window: ..." lines from the examples). */
class App {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[] = [];
  stderr = "";
  #seen = 0;
  #wake: (() => void) | null = null;
  readonly exited: Promise<number | null>;

  constructor(args: string[], extraEnv: Record<string, string> = {}) {
    this.child = spawn(process.execPath, ["--import", "tsx", ...args], {
      cwd: root,
      env: { ...process.env, DISPLAY: display.name, WGPU_ENGINE: engine, ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let buffer = "";
    this.child.stdout!.on("data", (d) => {
      buffer += d;
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        this.lines.push(line.startsWith("{") ? JSON.parse(line) : { text: line });
        this.#wake?.();
      }
    });
    this.child.stderr!.on("data", (d) => (this.stderr += d));
    this.exited = new Promise((resolve) => this.child.on("exit", (code) => (resolve(code), this.#wake?.())));
  }

  /** The next line (after those already taken) that `match` accepts. */
  async next(what: string, match: (line: Record<string, unknown>) => boolean, timeoutMs = 20_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.#seen < this.lines.length) {
        const line = this.lines[this.#seen++];
        if (match(line)) return line;
      }
      if (this.child.exitCode !== null || Date.now() > deadline) {
        throw new Error(
          `window app: no ${what} (exit ${this.child.exitCode}); stdout: ${JSON.stringify(this.lines.slice(-12))}; stderr: ${this.stderr.slice(-2000)}`,
        );
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        setTimeout(resolve, 200);
      });
      this.#wake = null;
    }
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
  }
}

/** What the offscreen canvas shows for `draw` at width x height, in the window's format. */
function offscreen(width: number, height: number, make: (device: GPUDevice, format: GPUTextureFormat) => (view: GPUTextureView) => void): RgbaImage {
  const device = testDevice() as unknown as GPUDevice;
  const format = gpu.getPreferredCanvasFormat();
  const canvas = createCanvas(width, height);
  const context = canvas.getContext("webgpu");
  context.configure({ device, format });
  make(device, format)(context.getCurrentTexture().createView());
  context.present();
  return canvas.getImage();
}

/**
 * A screenshot of the window once `problem` finds none in it, or the last one after 10 s: the
 * driver's window-system code may hand a presented frame to the X server from a thread of its own
 * (Mesa's X11 present queue), so a frame reported as presented can reach the screen a little later.
 */
async function screenshotOnce(id: string, problem: (shot: RgbaImage) => string | null): Promise<{ shot: RgbaImage; problem: string | null }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const shot = screenshot(display, id);
    const found = problem(shot);
    if (found === null || Date.now() > deadline) return { shot, problem: found };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function pictureDifference(actual: RgbaImage, expected: RgbaImage): string | null {
  if (actual.width !== expected.width || actual.height !== expected.height)
    return `size ${actual.width}x${actual.height}, expected ${expected.width}x${expected.height}`;
  const { mismatchedPixels, maxDelta } = compareImages(actual, expected, 2);
  return mismatchedPixels === 0 ? null : `${mismatchedPixels} pixels differ from the offscreen canvas's (max delta ${maxDelta})`;
}

/** Waits for the window to show `expected` (the offscreen canvas's picture of the same frame). */
async function assertWindowShows(id: string, expected: RgbaImage, what: string): Promise<RgbaImage> {
  const { shot, problem } = await screenshotOnce(id, (shot) => pictureDifference(shot, expected));
  assert.equal(problem, null, `${what}: ${problem}`);
  return shot;
}

test(`a window presents, resizes, takes input and ends its process when closed (${engine})`, skip, async (t) => {
  const title = `wgpu-ts test ${engine} ${process.pid}`;
  const app = new App([fileURLToPath(new URL("./fixtures/window-app.ts", import.meta.url)), title, "160", "120"]);
  t.after(() => app.kill());
  let id = "";

  await t.test("the first frame is presented and the screenshot is the offscreen canvas's picture", async () => {
    const first = await app.next("first frame", (l) => l.presented === 1);
    assert.deepEqual([first.width, first.height], [160, 120]);
    id = findWindow(display, title);
    await assertWindowShows(id, offscreen(160, 120, makeTriangle), "160x120 frame");
  });

  await t.test("a resize reconfigures the surface: the next frame has the new size", async () => {
    xdotool(display, "windowsize", id, "200", "150");
    const resize = await app.next("resize event", (l) => l.type === "resize");
    assert.deepEqual(resize.size, [200, 150]);
    const frame = await app.next("frame after the resize", (l) => typeof l.presented === "number");
    assert.deepEqual([frame.width, frame.height, frame.canvas], [200, 150, [200, 150]]);
    await assertWindowShows(id, offscreen(200, 150, makeTriangle), "200x150 frame");
  });

  await t.test("synthetic input reaches the listeners as DOM events", async () => {
    xdotool(display, "mousemove", "--window", id, "50", "40");
    const move = await app.next("pointermove", (l) => l.type === "pointermove" && l.x === 50 && l.y === 40);
    assert.equal(move.buttons, 0);
    await app.next("pointermove on the document", (l) => l.type === "document:pointermove");
    xdotool(display, "click", "--window", id, "1");
    const down = await app.next("pointerdown", (l) => l.type === "pointerdown");
    assert.deepEqual([down.button, down.buttons, down.x, down.y], [0, 1, 50, 40]);
    const up = await app.next("pointerup", (l) => l.type === "pointerup");
    assert.deepEqual([up.button, up.buttons], [0, 0]);
    await app.next("click", (l) => l.type === "click");
    xdotool(display, "click", "--window", id, "3");
    const right = await app.next("right button down", (l) => l.type === "pointerdown");
    assert.deepEqual([right.button, right.buttons], [2, 2]);
    await app.next("contextmenu", (l) => l.type === "contextmenu");
    xdotool(display, "click", "--window", id, "5");
    const wheel = await app.next("wheel", (l) => l.type === "wheel");
    assert.ok((wheel.deltaY as number) > 0, `wheel down gives a positive deltaY (${wheel.deltaY})`);
    xdotool(display, "key", "--window", id, "shift+a");
    const key = await app.next("keydown A", (l) => l.type === "keydown" && l.code === "KeyA");
    assert.deepEqual([key.key, key.shiftKey, key.repeat], ["A", true, false]);
    await app.next("keyup A", (l) => l.type === "keyup" && l.code === "KeyA");
    xdotool(display, "key", "--window", id, "Left");
    const arrow = await app.next("keydown ArrowLeft", (l) => l.type === "keydown" && l.code === "ArrowLeft");
    assert.equal(arrow.key, "ArrowLeft");
  });

  await t.test("minimizing hides the document and holds animation frames until the window is restored", async () => {
    const before = app.lines.filter((l) => typeof l.presented === "number").length;
    setWindowState(display, id, "iconic");
    const hidden = await app.next("visibilitychange to hidden", (l) => l.type === "visibilitychange");
    assert.deepEqual([hidden.state, hidden.minimized], ["hidden", true]);
    await new Promise((resolve) => setTimeout(resolve, 300)); // several frame intervals
    assert.equal(app.lines.filter((l) => typeof l.presented === "number").length, before, "no frame while minimized");
    setWindowState(display, id, "normal");
    const shown = await app.next("visibilitychange to visible", (l) => l.type === "visibilitychange");
    assert.deepEqual([shown.state, shown.minimized], ["visible", false]);
    await app.next("the frame asked for while minimized", (l) => typeof l.presented === "number");
  });

  await t.test("closing the window ends the loop and the process exits by itself", async () => {
    requestClose(display, id);
    await app.next("close event", (l) => l.type === "close");
    const exit = await app.next("exit", (l) => l.exit === true);
    assert.equal(exit.closed, true);
    assert.equal(await app.exited, 0, app.stderr);
  });
});

test(`examples/cube.ts --window shows the cube (${engine}); the screenshot is saved in test/output`, skip, async () => {
  const app = new App(["examples/cube.ts", "--window", "--frames", "1"]);
  try {
    const ready = await app.next("the example's first frame", (l) => typeof l.text === "string" && l.text.startsWith("window: 800x600"), 60_000);
    assert.match(ready.text as string, /present mode fifo/);
    const id = findWindow(display, "wgpu-ts cube");
    const expected = offscreen(800, 600, (device, format) => {
      const cube = makeCube(device, format);
      return (view) => cube(view, 800, 600, 0.6);
    });
    const shot = await assertWindowShows(id, expected, "the cube example's window");
    mkdirSync(`${root}test/output`, { recursive: true });
    writePng(`${root}test/output/cube-window-${engine}.png`, shot);
    requestClose(display, id);
    assert.equal(await app.exited, 0, app.stderr);
  } finally {
    app.kill();
  }
});

test(`examples/three-window.ts: a three.js scene draws in a window and OrbitControls turn it with the mouse (${engine})`, skip, async () => {
  const app = new App(["examples/three-window.ts"]);
  try {
    const first = await app.next("three.js's first frame", (l) => "three" in l, 60_000);
    assert.deepEqual([first.width, first.height], [800, 600]);
    const id = findWindow(display, "wgpu-ts: three.js");
    const { shot, problem } = await screenshotOnce(id, (shot) => {
      const at = (x: number, y: number) => Array.from(shot.data.subarray((y * shot.width + x) * 4, (y * shot.width + x) * 4 + 3));
      const [r, g, b] = at(10, 10); // the scene's background, 0x202830
      if (Math.abs(r - 0x20) > 8 || Math.abs(g - 0x28) > 8 || Math.abs(b - 0x30) > 8) return `background ${[r, g, b]}, expected 32,40,48`;
      let orange = 0;
      for (let y = 200; y < 400; y += 4)
        for (let x = 300; x < 500; x += 4) {
          const [pr, pg, pb] = at(x, y);
          if (pr > 120 && pr > pg + 30 && pg > pb) orange++;
        }
      return orange > 100 ? null : `the torus knot is not drawn in the middle (${orange} orange samples)`;
    });
    mkdirSync(`${root}test/output`, { recursive: true });
    writePng(`${root}test/output/three-window-${engine}.png`, shot);
    assert.equal(problem, null);
    xdotool(display, "mousemove", "--window", id, "400", "300");
    xdotool(display, "mousedown", "--window", id, "1");
    for (let x = 420; x <= 600; x += 30) xdotool(display, "mousemove", "--window", id, String(x), "320");
    xdotool(display, "mouseup", "--window", id, "1");
    const orbit = await app.next("OrbitControls' end event", (l) => "orbit" in l);
    assert.notDeepEqual(orbit.orbit, first.camera, "the drag moved the camera");
    requestClose(display, id);
    assert.equal(await app.exited, 0, app.stderr);
  } finally {
    app.kill();
  }
});

test(`a surface the adapter cannot present to is a clear error (${engine})`, {
  ...skip,
  ...engineSkip("dawn", "Dawn ignores WGPU_BACKEND_TYPE and has only lavapipe's Vulkan adapter here, which presents"),
}, async () => {
  // wgpu-native's OpenGL adapter (llvmpipe) has no formats for an Xlib window's surface.
  const app = new App(
    [
      "-e",
      `import("./src/index.ts").then(async ({ gpu, createWindow }) => {
    const device = await (await gpu.requestAdapter()).requestDevice();
    const canvas = createWindow({ width: 64, height: 64, title: "no present" });
    try { canvas.getContext("webgpu").configure({ device, format: "bgra8unorm" }); } catch (e) { console.log(JSON.stringify({ error: String(e) })); }
    canvas.close();
  })`,
    ],
    { WGPU_BACKEND_TYPE: "OpenGL" },
  );
  const line = await app.next("error", (l) => "error" in l, 60_000);
  assert.match(line.error as string, /GPUCanvasContext\.configure: the adapter \(.*OpenGL\) cannot present to this window's surface \(x11\)/);
  assert.equal(await app.exited, 0, app.stderr);
});

test("no display, no GLFW library, a display that is not there: errors that say so", () => {
  // One child tries each case in turn (GLFW is loaded only once a try gets that far).
  const script = `import("./src/index.ts").then(({ createWindow }) => {
    const cases = [{ DISPLAY: "", WAYLAND_DISPLAY: "" }, { DISPLAY: ":4711", WGPU_GLFW_LIB: "/nonexistent/libglfw.so.3" }, { DISPLAY: ":4711", WGPU_GLFW_LIB: "" }];
    for (const env of cases) {
      Object.assign(process.env, env);
      try { createWindow(); console.log("no error"); } catch (e) { console.log(String(e)); }
    }
  })`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { cwd: root, encoding: "utf8", timeout: 60_000 });
  const [noDisplay, noLibrary, badDisplay] = r.stdout.trim().split("\n");
  assert.match(noDisplay, /createWindow: no display: neither DISPLAY nor WAYLAND_DISPLAY is set/, r.stderr);
  assert.match(noLibrary, /createWindow: the GLFW 3 library could not be loaded .*Install it \(apt-get install libglfw3/, r.stderr);
  assert.match(badDisplay, problem ? /createWindow: / : /createWindow: GLFW 3\.\d+\.\d+ could not start: X11: Failed to open display :4711/, r.stderr);
});
