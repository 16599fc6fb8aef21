// GLFW 3 (https://www.glfw.org/docs/latest/), loaded from the system at run time through koffi:
// windows, their native handles for a surface, and input callbacks.
import koffi, { type LibraryHandle } from "koffi";
import type { SurfaceSource } from "../backend.ts";

export const GLFW = {
  TRUE: 1,
  FALSE: 0,
  RELEASE: 0,
  PRESS: 1,
  REPEAT: 2,
  FOCUSED: 0x20001,
  ICONIFIED: 0x20002,
  RESIZABLE: 0x20003,
  VISIBLE: 0x20004,
  CLIENT_API: 0x22001,
  NO_API: 0,
  SCALE_TO_MONITOR: 0x2200c,
  LOCK_KEY_MODS: 0x33004,
  PLATFORM_WIN32: 0x60001,
  PLATFORM_COCOA: 0x60002,
  PLATFORM_WAYLAND: 0x60003,
  PLATFORM_X11: 0x60004,
  MOD_SHIFT: 1,
  MOD_CONTROL: 2,
  MOD_ALT: 4,
  MOD_SUPER: 8,
  MOD_CAPS_LOCK: 16,
  MOD_NUM_LOCK: 32,
} as const;

/** The callbacks a window sends; one registered C function per kind, routed by window. */
export interface WindowCallbacks {
  close(): void;
  framebufferSize(width: number, height: number): void;
  windowSize(width: number, height: number): void;
  iconify(iconified: boolean): void;
  focus(focused: boolean): void;
  contentScale(x: number, y: number): void;
  mouseButton(button: number, action: number, mods: number): void;
  cursorPos(x: number, y: number): void;
  cursorEnter(entered: boolean): void;
  scroll(x: number, y: number): void;
  key(key: number, scancode: number, action: number, mods: number): void;
}

const callbackKinds: [keyof WindowCallbacks, string, string][] = [
  ["close", "glfwSetWindowCloseCallback", "void GLFWwindowclosefun(void *w)"],
  ["framebufferSize", "glfwSetFramebufferSizeCallback", "void GLFWframebuffersizefun(void *w, int, int)"],
  ["windowSize", "glfwSetWindowSizeCallback", "void GLFWwindowsizefun(void *w, int, int)"],
  ["iconify", "glfwSetWindowIconifyCallback", "void GLFWwindowiconifyfun(void *w, int)"],
  ["focus", "glfwSetWindowFocusCallback", "void GLFWwindowfocusfun(void *w, int)"],
  ["contentScale", "glfwSetWindowContentScaleCallback", "void GLFWwindowcontentscalefun(void *w, float, float)"],
  ["mouseButton", "glfwSetMouseButtonCallback", "void GLFWmousebuttonfun(void *w, int, int, int)"],
  ["cursorPos", "glfwSetCursorPosCallback", "void GLFWcursorposfun(void *w, double, double)"],
  ["cursorEnter", "glfwSetCursorEnterCallback", "void GLFWcursorenterfun(void *w, int)"],
  ["scroll", "glfwSetScrollCallback", "void GLFWscrollfun(void *w, double, double)"],
  ["key", "glfwSetKeyCallback", "void GLFWkeyfun(void *w, int, int, int, int)"],
];

const declarations = [
  "int glfwInit()",
  "void glfwInitHint(int hint, int value)",
  "const char *glfwGetVersionString()",
  "void glfwWindowHint(int hint, int value)",
  "void *glfwCreateWindow(int width, int height, const char *title, void *monitor, void *share)",
  "void glfwDestroyWindow(void *window)",
  "void glfwPollEvents()",
  "void glfwSetWindowShouldClose(void *window, int value)",
  "void glfwSetWindowTitle(void *window, const char *title)",
  "void glfwSetWindowSize(void *window, int width, int height)",
  "void glfwGetWindowSize(void *window, _Out_ int *width, _Out_ int *height)",
  "void glfwGetFramebufferSize(void *window, _Out_ int *width, _Out_ int *height)",
  "void glfwGetWindowContentScale(void *window, _Out_ float *x, _Out_ float *y)",
  "void glfwGetCursorPos(void *window, _Out_ double *x, _Out_ double *y)",
  "int glfwGetWindowAttrib(void *window, int attrib)",
  "void glfwIconifyWindow(void *window)",
  "void glfwRestoreWindow(void *window)",
  "void glfwFocusWindow(void *window)",
  "void glfwSetInputMode(void *window, int mode, int value)",
  "int glfwGetKey(void *window, int key)",
  "const char *glfwGetKeyName(int key, int scancode)",
] as const;

type Fn = (...args: unknown[]) => unknown;
export interface Glfw {
  version: string;
  fn: Record<string, Fn>;
  /** The native handles of a window for wgpuInstanceCreateSurface, on the platform GLFW runs on. */
  surfaceSource(window: bigint): SurfaceSource;
  /** The window system in use: "x11", "wayland", "windows" or "macos". */
  platform: string;
  /** Routes a window's callbacks to `handlers` (null: stops routing them). */
  route(window: bigint, handlers: WindowCallbacks | null): void;
}

let loaded: Glfw | undefined;
let lastError = "";

function libraryNames(): string[] {
  const own = process.env.WGPU_GLFW_LIB;
  if (own) return [own];
  if (process.platform === "win32") return ["glfw3.dll"];
  if (process.platform === "darwin") return ["libglfw.3.dylib", "/opt/homebrew/lib/libglfw.3.dylib", "/usr/local/lib/libglfw.3.dylib"];
  return ["libglfw.so.3", "libglfw.so"];
}

function openLibrary(): LibraryHandle {
  const errors: string[] = [];
  for (const name of libraryNames()) {
    try {
      return koffi.load(name);
    } catch (e) {
      errors.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const hint =
    process.platform === "linux"
      ? "apt-get install libglfw3 (Debian, Ubuntu), dnf install glfw (Fedora)"
      : process.platform === "darwin"
        ? "brew install glfw"
        : "put glfw3.dll on the PATH";
  throw new Error(`createWindow: the GLFW 3 library could not be loaded (${errors.join("; ")}). Install it (${hint}) or set WGPU_GLFW_LIB to its path.`);
}

/** A function the library may lack (per platform, per version): null then. */
function optional(lib: LibraryHandle, decl: string): ((...args: unknown[]) => unknown) | null {
  try {
    return lib.func(decl);
  } catch {
    return null;
  }
}

/** Which window system GLFW uses, and how to get a window's handles on it. */
function platformOf(lib: LibraryHandle): { platform: string; source: (w: bigint) => SurfaceSource } {
  const getPlatform = optional(lib, "int glfwGetPlatform()"); // GLFW 3.4
  const x11Display = optional(lib, "void *glfwGetX11Display()");
  const x11Window = optional(lib, "unsigned long glfwGetX11Window(void *window)");
  const wlDisplay = optional(lib, "void *glfwGetWaylandDisplay()");
  const wlSurface = optional(lib, "void *glfwGetWaylandWindow(void *window)");
  const hwnd = optional(lib, "void *glfwGetWin32Window(void *window)");
  const cocoa = optional(lib, "void *glfwGetCocoaWindow(void *window)");
  const p = getPlatform?.() as number | undefined;
  // GLFW 3.3 has one window system per build: the native functions it exports tell which.
  const is = (id: number, fallback: boolean) => (p === undefined ? fallback : p === id);
  const ptr = (v: unknown) => (v ? BigInt(koffi.address(v)) : 0n);
  if (is(GLFW.PLATFORM_X11, !!x11Display && !!x11Window && process.platform !== "darwin")) {
    return { platform: "x11", source: (w) => ({ kind: "xlib", display: ptr(x11Display!()), window: BigInt(x11Window!(w) as number | bigint) }) };
  }
  if (is(GLFW.PLATFORM_WAYLAND, !!wlDisplay && !!wlSurface)) {
    return { platform: "wayland", source: (w) => ({ kind: "wayland", display: ptr(wlDisplay!()), surface: ptr(wlSurface!(w)) }) };
  }
  if (is(GLFW.PLATFORM_WIN32, !!hwnd)) {
    const getModuleHandle = koffi.load("kernel32.dll").func("void *__stdcall GetModuleHandleW(const char16_t *name)");
    return { platform: "windows", source: (w) => ({ kind: "windows", hinstance: ptr(getModuleHandle(null)), hwnd: ptr(hwnd!(w)) }) };
  }
  if (is(GLFW.PLATFORM_COCOA, !!cocoa)) return { platform: "macos", source: (w) => ({ kind: "metal", layer: metalLayer(ptr(cocoa!(w))) }) };
  throw new Error(`createWindow: GLFW ${lib.func("const char *glfwGetVersionString()")()} runs on a window system wgpu-ts cannot make a surface for`);
}

/** A CAMetalLayer set as the content view's layer of an NSWindow (as wgpu-py and Dawn's samples do). */
function metalLayer(nsWindow: bigint): bigint {
  const objc = koffi.load("/usr/lib/libobjc.A.dylib");
  koffi.load("/System/Library/Frameworks/QuartzCore.framework/QuartzCore");
  const getClass = objc.func("void *objc_getClass(const char *name)");
  const sel = objc.func("void *sel_registerName(const char *name)");
  const send = objc.func("void *objc_msgSend(void *self, void *op)");
  const sendBool = objc.func("objc_msgSend", "void", ["void *", "void *", "bool"]);
  const sendPtr = objc.func("objc_msgSend", "void", ["void *", "void *", "void *"]);
  const view = send(nsWindow, sel("contentView"));
  const layer = send(getClass("CAMetalLayer"), sel("layer"));
  sendBool(view, sel("setWantsLayer:"), true);
  sendPtr(view, sel("setLayer:"), layer);
  return BigInt(koffi.address(layer));
}

/** Loads and starts GLFW once per process; the errors say what is missing (the library, a display). */
export function glfw(): Glfw {
  if (loaded) return loaded;
  if (process.platform === "linux" && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    throw new Error(
      "createWindow: no display: neither DISPLAY nor WAYLAND_DISPLAY is set (run it in a desktop session, or under Xvfb: xvfb-run -a node app.js)",
    );
  }
  const lib = openLibrary();
  const fn: Record<string, Fn> = {};
  for (const decl of declarations) {
    const name = /(\w+)\(/.exec(decl)![1];
    fn[name] = lib.func(decl) as Fn;
  }
  const onError = koffi.register(
    (code: number, message: string) => (lastError = `${message} (GLFW error 0x${code.toString(16)})`),
    koffi.pointer(koffi.proto("void GLFWerrorfun(int code, const char *message)")),
  );
  lib.func("void *glfwSetErrorCallback(void *cb)")(onError);
  const version = (fn.glfwGetVersionString() as string).split(" ")[0];
  if (!fn.glfwInit())
    throw new Error(
      `createWindow: GLFW ${version} could not start: ${lastError || "unknown error"}${process.env.DISPLAY ? ` (DISPLAY=${process.env.DISPLAY})` : ""}`,
    );
  const { platform, source } = platformOf(lib);

  const routes = new Map<bigint, WindowCallbacks>();
  const setters = callbackKinds.map(([kind, setter, proto]) => {
    const cb = koffi.register(
      (w: unknown, ...args: unknown[]) => {
        const handlers = routes.get(BigInt(koffi.address(w)));
        if (!handlers) return;
        // Nothing may be thrown back through GLFW's stack; handlers only queue events.
        try {
          (handlers[kind] as (...a: unknown[]) => void)(...args);
        } catch (e) {
          process.stderr.write(`wgpu-ts: a GLFW ${kind} callback threw (ignored): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        }
      },
      koffi.pointer(koffi.proto(proto)),
    );
    const set = lib.func(`void *${setter}(void *window, void *cb)`);
    return (w: bigint, on: boolean) => set(w, on ? cb : null);
  });
  loaded = {
    version,
    fn,
    platform,
    surfaceSource: source,
    route(window, handlers) {
      if (handlers) routes.set(window, handlers);
      else routes.delete(window);
      for (const set of setters) set(window, handlers !== null);
    },
  };
  return loaded;
}

/** The last error GLFW reported (cleared by reading). */
export function takeGlfwError(): string {
  const e = lastError;
  lastError = "";
  return e;
}
