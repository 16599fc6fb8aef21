// GLFW key codes -> the DOM's KeyboardEvent `code` (the physical key, named after its US-layout
// place: https://www.w3.org/TR/uievents-code/) and `key` (what it types, or its name).

/** code, key when it types nothing, location (0 standard, 1 left, 2 right, 3 numpad). */
type KeyInfo = [code: string, key: string | null, location: number];

const keys = new Map<number, KeyInfo>([
  [32, ["Space", null, 0]],
  [39, ["Quote", null, 0]],
  [44, ["Comma", null, 0]],
  [45, ["Minus", null, 0]],
  [46, ["Period", null, 0]],
  [47, ["Slash", null, 0]],
  [59, ["Semicolon", null, 0]],
  [61, ["Equal", null, 0]],
  [91, ["BracketLeft", null, 0]],
  [92, ["Backslash", null, 0]],
  [93, ["BracketRight", null, 0]],
  [96, ["Backquote", null, 0]],
  [161, ["IntlBackslash", null, 0]],
  [256, ["Escape", "Escape", 0]],
  [257, ["Enter", "Enter", 0]],
  [258, ["Tab", "Tab", 0]],
  [259, ["Backspace", "Backspace", 0]],
  [260, ["Insert", "Insert", 0]],
  [261, ["Delete", "Delete", 0]],
  [262, ["ArrowRight", "ArrowRight", 0]],
  [263, ["ArrowLeft", "ArrowLeft", 0]],
  [264, ["ArrowDown", "ArrowDown", 0]],
  [265, ["ArrowUp", "ArrowUp", 0]],
  [266, ["PageUp", "PageUp", 0]],
  [267, ["PageDown", "PageDown", 0]],
  [268, ["Home", "Home", 0]],
  [269, ["End", "End", 0]],
  [280, ["CapsLock", "CapsLock", 0]],
  [281, ["ScrollLock", "ScrollLock", 0]],
  [282, ["NumLock", "NumLock", 0]],
  [283, ["PrintScreen", "PrintScreen", 0]],
  [284, ["Pause", "Pause", 0]],
  [330, ["NumpadDecimal", null, 3]],
  [331, ["NumpadDivide", "/", 3]],
  [332, ["NumpadMultiply", "*", 3]],
  [333, ["NumpadSubtract", "-", 3]],
  [334, ["NumpadAdd", "+", 3]],
  [335, ["NumpadEnter", "Enter", 3]],
  [336, ["NumpadEqual", "=", 3]],
  [340, ["ShiftLeft", "Shift", 1]],
  [341, ["ControlLeft", "Control", 1]],
  [342, ["AltLeft", "Alt", 1]],
  [343, ["MetaLeft", "Meta", 1]],
  [344, ["ShiftRight", "Shift", 2]],
  [345, ["ControlRight", "Control", 2]],
  [346, ["AltRight", "Alt", 2]],
  [347, ["MetaRight", "Meta", 2]],
  [348, ["ContextMenu", "ContextMenu", 0]],
]);
for (let i = 0; i < 10; i++) keys.set(48 + i, [`Digit${i}`, null, 0]).set(320 + i, [`Numpad${i}`, null, 3]);
for (let i = 0; i < 26; i++) keys.set(65 + i, [`Key${String.fromCharCode(65 + i)}`, null, 0]);
for (let i = 1; i <= 25; i++) keys.set(289 + i, [`F${i}`, `F${i}`, 0]);

// What Shift makes of the US layout's keys (GLFW names a key by what it types unshifted).
const shifted: Record<string, string> = {
  "1": "!",
  "2": "@",
  "3": "#",
  "4": "$",
  "5": "%",
  "6": "^",
  "7": "&",
  "8": "*",
  "9": "(",
  "0": ")",
  "-": "_",
  "=": "+",
  "[": "{",
  "]": "}",
  "\\": "|",
  ";": ":",
  "'": '"',
  ",": "<",
  ".": ">",
  "/": "?",
  "`": "~",
};

export interface KeyNames {
  code: string;
  key: string;
  location: number;
}

/**
 * The DOM names of a key. `typed` is the layout's character for it (glfwGetKeyName), or null;
 * Shift and Caps Lock pick the character the key types then (US layout for the symbols).
 */
export function keyNames(glfwKey: number, typed: string | null, shift: boolean, capsLock: boolean): KeyNames {
  const info = keys.get(glfwKey);
  const [code, name, location] = info ?? ["Unidentified", "Unidentified", 0];
  if (glfwKey === 32) return { code, key: " ", location };
  if (name !== null) return { code, key: name, location };
  let key = typed ?? "Unidentified";
  if (key.length === 1) {
    const upper = key.toUpperCase();
    if (upper !== key) key = shift !== capsLock ? upper : key;
    else if (shift && location !== 3) key = shifted[key] ?? key;
  }
  return { code, key, location };
}
