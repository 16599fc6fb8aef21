// A window's mouse and keyboard, from GLFW's callbacks to DOM events in the browser's order:
// pointerdown / mousedown, pointermove / mousemove, pointerup / mouseup / click, contextmenu,
// wheel, keydown / keyup. Events are queued in the callbacks and fired after the poll.
import { GLFW, type Glfw, type WindowCallbacks } from "./glfw.ts";
import { KeyboardEvent, MouseEvent, PointerEvent, WheelEvent, type WheelEventInit } from "./events.ts";
import { keyNames } from "./keys.ts";

/** GLFW button (left, right, middle, 4, 5) -> the DOM's `button` (left 0, middle 1, right 2, back 3, forward 4). */
const domButton = [0, 2, 1, 3, 4];
/** The DOM's `button` -> its bit in `buttons`. */
const buttonBit = [1, 4, 2, 8, 16];
/** Pixels per wheel notch, as browsers report a notch in pixel mode. */
const WHEEL_PIXELS = 100;
const modifierKeys: Record<number, number> = {
  340: GLFW.MOD_SHIFT,
  344: GLFW.MOD_SHIFT,
  341: GLFW.MOD_CONTROL,
  345: GLFW.MOD_CONTROL,
  342: GLFW.MOD_ALT,
  346: GLFW.MOD_ALT,
  343: GLFW.MOD_SUPER,
  347: GLFW.MOD_SUPER,
};

interface InputTarget {
  dispatchInput(event: Event): boolean;
}

export class WindowInput {
  readonly callbacks: Pick<WindowCallbacks, "mouseButton" | "cursorPos" | "cursorEnter" | "scroll" | "key">;
  #x = 0;
  #y = 0;
  #buttons = 0;
  /** Modifiers as of the last event, kept in event order (GLFW's key state is as of the poll's end). */
  #mods = 0;
  #captured = new Set<number>();

  constructor(target: InputTarget, g: Glfw, window: bigint, queue: (fire: () => void) => void) {
    const fire = (e: Event) => target.dispatchInput(e);
    const mouse = (extra: WheelEventInit = {}): WheelEventInit => ({
      bubbles: true,
      cancelable: true,
      clientX: this.#x,
      clientY: this.#y,
      buttons: this.#buttons,
      ...this.#modifiers(),
      ...extra,
    });
    this.callbacks = {
      mouseButton: (glfwButton, action, mods) => {
        this.#mods = mods;
        const button = domButton[glfwButton] ?? glfwButton;
        const bit = buttonBit[button] ?? 0;
        const before = this.#buttons;
        this.#buttons = action === GLFW.PRESS ? before | bit : before & ~bit;
        const init = mouse({ button });
        queue(() => {
          // Pointer events: down from no buttons, up to no buttons, a move for chorded buttons (Pointer Events §4.1.3).
          if (action === GLFW.PRESS) {
            fire(new PointerEvent(before === 0 ? "pointerdown" : "pointermove", { ...init, button: before === 0 ? button : -1 }));
            fire(new MouseEvent("mousedown", init));
            if (button === 2) fire(new MouseEvent("contextmenu", init));
          } else {
            fire(new PointerEvent(init.buttons === 0 ? "pointerup" : "pointermove", { ...init, button: init.buttons === 0 ? button : -1 }));
            fire(new MouseEvent("mouseup", init));
            if (button === 0) fire(new MouseEvent("click", { ...init, detail: 1 }));
            if (init.buttons === 0) this.#captured.clear();
          }
        });
      },
      cursorPos: (x, y) => {
        const movementX = x - this.#x;
        const movementY = y - this.#y;
        this.#x = x;
        this.#y = y;
        const init = mouse({ movementX, movementY, button: -1 });
        queue(() => {
          fire(new PointerEvent("pointermove", init));
          fire(new MouseEvent("mousemove", { ...init, button: 0 }));
        });
      },
      cursorEnter: (entered) => {
        const [x, y] = [[0], [0]];
        g.fn.glfwGetCursorPos(window, x, y);
        [this.#x, this.#y] = [x[0], y[0]];
        const init = mouse({ bubbles: false, cancelable: false });
        queue(() => {
          fire(new PointerEvent(entered ? "pointerenter" : "pointerleave", init));
          fire(new MouseEvent(entered ? "mouseenter" : "mouseleave", init));
        });
      },
      scroll: (dx, dy) => {
        // GLFW: positive y scrolls up (away from the user); the DOM: positive deltaY scrolls down.
        const init = mouse({ deltaX: -dx * WHEEL_PIXELS, deltaY: -dy * WHEEL_PIXELS, deltaMode: WheelEvent.DOM_DELTA_PIXEL });
        queue(() => fire(new WheelEvent("wheel", init)));
      },
      key: (key, scancode, action, mods) => {
        // GLFW gives the modifiers as they were before this key; a modifier key's own press counts (as in the DOM).
        const own = modifierKeys[key] ?? 0;
        this.#mods = action === GLFW.RELEASE ? mods & ~own : mods | own;
        const typed = g.fn.glfwGetKeyName(key, scancode) as string | null;
        const names = keyNames(key, typed, (this.#mods & GLFW.MOD_SHIFT) !== 0, (this.#mods & GLFW.MOD_CAPS_LOCK) !== 0);
        const init = { ...names, bubbles: true, cancelable: true, repeat: action === GLFW.REPEAT, ...this.#modifiers() };
        queue(() => fire(new KeyboardEvent(action === GLFW.RELEASE ? "keyup" : "keydown", init)));
      },
    };
  }

  #modifiers() {
    const m = this.#mods;
    return {
      shiftKey: (m & GLFW.MOD_SHIFT) !== 0,
      ctrlKey: (m & GLFW.MOD_CONTROL) !== 0,
      altKey: (m & GLFW.MOD_ALT) !== 0,
      metaKey: (m & GLFW.MOD_SUPER) !== 0,
      capsLock: (m & GLFW.MOD_CAPS_LOCK) !== 0,
      numLock: (m & GLFW.MOD_NUM_LOCK) !== 0,
    };
  }

  /** Pointer capture: the window system already sends a pressed mouse's moves to its window; this keeps the state the DOM reports. */
  capture(pointerId: number, on: boolean): void {
    if (on && this.#buttons === 0) return;
    if (on) this.#captured.add(Number(pointerId));
    else this.#captured.delete(Number(pointerId));
  }

  hasCapture(pointerId: number): boolean {
    return this.#captured.has(Number(pointerId));
  }
}
