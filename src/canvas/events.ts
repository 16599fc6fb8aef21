// DOM-shaped input events for window canvases (Node has Event and EventTarget, not these):
// the members that browser code (three.js controls, for one) reads, with the DOM's meanings.

interface ModifierInit {
  ctrlKey?: boolean;
  shiftKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  /** Caps Lock and Num Lock, for getModifierState. */
  capsLock?: boolean;
  numLock?: boolean;
}

function modifierState(e: Required<ModifierInit>, key: string): boolean {
  switch (key) {
    case "Control":
      return e.ctrlKey;
    case "Shift":
      return e.shiftKey;
    case "Alt":
      return e.altKey;
    case "Meta":
      return e.metaKey;
    case "CapsLock":
      return e.capsLock;
    case "NumLock":
      return e.numLock;
    default:
      return false;
  }
}

export interface UIEventInit extends EventInit {
  detail?: number;
  view?: unknown;
}

/** https://w3c.github.io/uievents/#interface-uievent */
export class UIEvent extends Event {
  readonly detail: number;
  readonly view: unknown;
  constructor(type: string, init: UIEventInit = {}) {
    super(type, init);
    this.detail = init.detail ?? 0;
    this.view = init.view ?? null;
  }
}

export interface MouseEventInit extends UIEventInit, ModifierInit {
  clientX?: number;
  clientY?: number;
  screenX?: number;
  screenY?: number;
  movementX?: number;
  movementY?: number;
  button?: number;
  buttons?: number;
}

/** https://w3c.github.io/uievents/#interface-mouseevent; the canvas fills its window, so client, offset and page coordinates are the same. */
export class MouseEvent extends UIEvent {
  readonly clientX: number;
  readonly clientY: number;
  readonly screenX: number;
  readonly screenY: number;
  readonly movementX: number;
  readonly movementY: number;
  readonly button: number;
  readonly buttons: number;
  readonly ctrlKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
  readonly relatedTarget = null;
  readonly #locks: { capsLock: boolean; numLock: boolean };
  constructor(type: string, init: MouseEventInit = {}) {
    super(type, init);
    this.clientX = init.clientX ?? 0;
    this.clientY = init.clientY ?? 0;
    this.screenX = init.screenX ?? this.clientX;
    this.screenY = init.screenY ?? this.clientY;
    this.movementX = init.movementX ?? 0;
    this.movementY = init.movementY ?? 0;
    this.button = init.button ?? 0;
    this.buttons = init.buttons ?? 0;
    this.ctrlKey = init.ctrlKey ?? false;
    this.shiftKey = init.shiftKey ?? false;
    this.altKey = init.altKey ?? false;
    this.metaKey = init.metaKey ?? false;
    this.#locks = { capsLock: init.capsLock ?? false, numLock: init.numLock ?? false };
  }
  get x(): number {
    return this.clientX;
  }
  get y(): number {
    return this.clientY;
  }
  get offsetX(): number {
    return this.clientX;
  }
  get offsetY(): number {
    return this.clientY;
  }
  get pageX(): number {
    return this.clientX;
  }
  get pageY(): number {
    return this.clientY;
  }
  getModifierState(key: string): boolean {
    return modifierState({ ...this.#locks, ctrlKey: this.ctrlKey, shiftKey: this.shiftKey, altKey: this.altKey, metaKey: this.metaKey }, key);
  }
}

export interface PointerEventInit extends MouseEventInit {
  pointerId?: number;
  pointerType?: string;
  isPrimary?: boolean;
  pressure?: number;
}

/** https://w3c.github.io/pointerevents/#pointerevent-interface (a mouse: pointer 1, primary). */
export class PointerEvent extends MouseEvent {
  readonly pointerId: number;
  readonly pointerType: string;
  readonly isPrimary: boolean;
  readonly pressure: number;
  readonly width = 1;
  readonly height = 1;
  readonly tiltX = 0;
  readonly tiltY = 0;
  readonly twist = 0;
  readonly tangentialPressure = 0;
  constructor(type: string, init: PointerEventInit = {}) {
    super(type, init);
    this.pointerId = init.pointerId ?? 1;
    this.pointerType = init.pointerType ?? "mouse";
    this.isPrimary = init.isPrimary ?? true;
    this.pressure = init.pressure ?? (this.buttons ? 0.5 : 0);
  }
  getCoalescedEvents(): PointerEvent[] {
    return [this];
  }
  getPredictedEvents(): PointerEvent[] {
    return [];
  }
}

export interface WheelEventInit extends MouseEventInit {
  deltaX?: number;
  deltaY?: number;
  deltaZ?: number;
  deltaMode?: number;
}

/** https://w3c.github.io/uievents/#interface-wheelevent: positive deltaY scrolls down, in pixels. */
export class WheelEvent extends MouseEvent {
  static readonly DOM_DELTA_PIXEL = 0;
  static readonly DOM_DELTA_LINE = 1;
  static readonly DOM_DELTA_PAGE = 2;
  readonly deltaX: number;
  readonly deltaY: number;
  readonly deltaZ: number;
  readonly deltaMode: number;
  constructor(type: string, init: WheelEventInit = {}) {
    super(type, init);
    this.deltaX = init.deltaX ?? 0;
    this.deltaY = init.deltaY ?? 0;
    this.deltaZ = init.deltaZ ?? 0;
    this.deltaMode = init.deltaMode ?? 0;
  }
}

export interface KeyboardEventInit extends UIEventInit, ModifierInit {
  key?: string;
  code?: string;
  location?: number;
  repeat?: boolean;
}

/** https://w3c.github.io/uievents/#interface-keyboardevent */
export class KeyboardEvent extends UIEvent {
  static readonly DOM_KEY_LOCATION_STANDARD = 0;
  static readonly DOM_KEY_LOCATION_LEFT = 1;
  static readonly DOM_KEY_LOCATION_RIGHT = 2;
  static readonly DOM_KEY_LOCATION_NUMPAD = 3;
  readonly key: string;
  readonly code: string;
  readonly location: number;
  readonly repeat: boolean;
  readonly isComposing = false;
  readonly ctrlKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
  readonly #locks: { capsLock: boolean; numLock: boolean };
  constructor(type: string, init: KeyboardEventInit = {}) {
    super(type, init);
    this.key = init.key ?? "";
    this.code = init.code ?? "";
    this.location = init.location ?? 0;
    this.repeat = init.repeat ?? false;
    this.ctrlKey = init.ctrlKey ?? false;
    this.shiftKey = init.shiftKey ?? false;
    this.altKey = init.altKey ?? false;
    this.metaKey = init.metaKey ?? false;
    this.#locks = { capsLock: init.capsLock ?? false, numLock: init.numLock ?? false };
  }
  getModifierState(key: string): boolean {
    return modifierState({ ...this.#locks, ctrlKey: this.ctrlKey, shiftKey: this.shiftKey, altKey: this.altKey, metaKey: this.metaKey }, key);
  }
}
