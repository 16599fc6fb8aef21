// A pre-scan of WGSL source for the nesting that overflows a shader compiler's stack (issue 14):
// naga and Tint recurse over the syntax tree, and deeply nested code (a thousand parentheses, a
// ten-thousand-term sum, two thousand nested array types, a thousand functions calling each
// other) crashed the process instead of failing to compile. The scan is one linear pass over the
// tokens that matter (brackets, operators, `fn` names and calls); it bounds what it can see, at
// limits that no real shader meets and that every engine compiles well inside its stack.

/** What the scan bounds; each limit is measured in the unit named (see the test for the margins). */
export const WGSL_NESTING_LIMITS = {
  /**
   * Open (), [] and {} at once, plus the `else` branches of unfinished if-chains (a compiler nests
   * `else if` as it nests blocks): the spec's limit for braces, and Tint's for statement nesting
   * and chaining (its parser also stops at a depth of 128).
   */
  brackets: 127,
  /** Template lists inside each other (array<array<...>>): the spec's composite nesting limit is 15. */
  templates: 63,
  /**
   * The estimated depth of one expression tree: every operator, member access or index of an
   * unfinished expression adds one, every open bracket BRACKET_WEIGHT (a chain `a + b + ...` is a
   * left-deep tree as deep as it is long).
   */
  expressionDepth: 2048,
  /** The longest chain of user functions calling each other (WGSL has no recursion). */
  callDepth: 255,
} as const;

/** A bracket costs a compiler's parser about this many operators' worth of stack. */
const BRACKET_WEIGHT = 8;

export interface WgslNestingProblem {
  message: string;
  /** UTF-16 offset in the code, and the 1-based line and column there. */
  offset: number;
  lineNum: number;
  linePos: number;
}

/** Identifiers whose `<` opens a template list (the predeclared types and type generators that take one). */
const TEMPLATED = /^(array|binding_array|vec[234]|mat[234]x[234]|ptr|atomic|texture_\w+|ref)$/;

const OPERATOR_CHARS = new Set([..."+-*/%&|^!~<>=."]);

function position(code: string, offset: number): { lineNum: number; linePos: number } {
  let lineNum = 1;
  let lineStart = 0;
  for (let i = code.indexOf("\n"); i !== -1 && i < offset; i = code.indexOf("\n", i + 1)) {
    lineNum++;
    lineStart = i + 1;
  }
  return { lineNum, linePos: offset - lineStart + 1 };
}

function problem(code: string, offset: number, message: string): WgslNestingProblem {
  const at = position(code, offset);
  return { message: `${message} (at line ${at.lineNum}, column ${at.linePos})`, offset, ...at };
}

const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
const isIdentPart = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57);

/**
 * The first nesting in `code` past WGSL_NESTING_LIMITS, or null. Comments (nested block comments
 * too) are skipped; the scan does not parse, so it bounds an over-estimate of what the compiler
 * will nest, never less.
 */
export function scanWgslNesting(code: string): WgslNestingProblem | null {
  const L = WGSL_NESTING_LIMITS;
  // Per open bracket: its character, and the operators of the unfinished expression around it.
  const brackets: string[] = [];
  const opsAt: number[] = [0];
  // Per level, the `else` keywords of the if-chain being read there, and their sum over the open levels.
  const elsesAt: number[] = [0];
  let elses = 0;
  let depthWeight = 0; // sum over the open brackets of BRACKET_WEIGHT + their level's operators
  let templates = 0;
  let lastIdent = "";
  let lastWasIdent = false;
  // Functions: their names in order, and for each the names it calls.
  const fnCalls = new Map<string, Set<string>>();
  let currentFn: Set<string> | null = null;
  let fnBodyDepth = -1;
  let expectFnName = false;
  const n = code.length;
  for (let i = 0; i < n; i++) {
    const c = code.charCodeAt(i);
    if (c <= 32) continue;
    const ch = code[i];
    // Comments.
    if (ch === "/" && code[i + 1] === "/") {
      const end = code.indexOf("\n", i);
      i = end === -1 ? n : end;
      continue;
    }
    if (ch === "/" && code[i + 1] === "*") {
      let level = 1;
      i += 2;
      while (i < n && level > 0) {
        if (code[i] === "/" && code[i + 1] === "*") level++, (i += 2);
        else if (code[i] === "*" && code[i + 1] === "/") level--, (i += 2);
        else i++;
      }
      i--;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(code.charCodeAt(j))) j++;
      const word = code.slice(i, j);
      if (expectFnName) {
        expectFnName = false;
        currentFn = new Set();
        fnCalls.set(word, currentFn);
        fnBodyDepth = -1;
      } else if (word === "fn" && brackets.length === 0) expectFnName = true;
      else if (word === "else") {
        elsesAt[elsesAt.length - 1]++;
        if (brackets.length + ++elses > L.brackets)
          return problem(code, i, `an if-chain of ${elses} else branches at a nesting of ${brackets.length}, over the limit of ${L.brackets}`);
      }
      lastIdent = word;
      lastWasIdent = true;
      i = j - 1;
      continue;
    }
    if (c >= 48 && c <= 57) {
      // A number: digits, letters (hex, exponents, suffixes) and dots; `1e-5` keeps its sign.
      let j = i + 1;
      while (j < n && (isIdentPart(code.charCodeAt(j)) || code[j] === "." || ((code[j] === "-" || code[j] === "+") && /[eEpP]/.test(code[j - 1])))) j++;
      i = j - 1;
      lastWasIdent = false;
      continue;
    }
    const afterIdent = lastWasIdent;
    lastWasIdent = false;
    if (ch === "(" || ch === "[" || ch === "{") {
      if (ch === "(" && afterIdent && currentFn && fnBodyDepth >= 0) currentFn.add(lastIdent);
      if (ch === "[" || (ch === "(" && afterIdent)) opsAt[opsAt.length - 1]++; // an index or a call extends the expression
      if (ch === "{" && currentFn && fnBodyDepth < 0 && brackets.length === 0) fnBodyDepth = 0;
      brackets.push(ch);
      depthWeight += BRACKET_WEIGHT + opsAt[opsAt.length - 1];
      opsAt.push(0);
      elsesAt.push(0);
      if (brackets.length + elses > L.brackets)
        return problem(
          code,
          i,
          elses
            ? `brackets nested ${brackets.length} deep inside ${elses} else branches, over the limit of ${L.brackets}`
            : `brackets nested ${brackets.length} deep, over the limit of ${L.brackets}`,
        );
      if (depthWeight > L.expressionDepth)
        return problem(code, i, `an expression nested too deeply: estimated depth ${depthWeight}, over the limit of ${L.expressionDepth}`);
      continue;
    }
    if (ch === ")" || ch === "]" || ch === "}") {
      if (brackets.length > 0) {
        brackets.pop();
        opsAt.pop();
        elses -= elsesAt.pop()!;
        depthWeight -= BRACKET_WEIGHT + opsAt[opsAt.length - 1];
        if (ch === "}") opsAt[opsAt.length - 1] = 0;
      }
      if (ch === "}") templates = 0;
      if (ch === "}" && brackets.length === 0) currentFn = null;
      lastWasIdent = ch !== "}"; // `f(x).y`, `a[0][1]`: the closed bracket is an operand
      continue;
    }
    if (ch === ";" || ch === ",") {
      opsAt[opsAt.length - 1] = 0;
      if (ch === ";") {
        elses -= elsesAt[elsesAt.length - 1];
        elsesAt[elsesAt.length - 1] = 0;
      }
      if (ch === ";") templates = 0;
      continue;
    }
    if (ch === "<" && afterIdent && TEMPLATED.test(lastIdent)) {
      if (++templates > L.templates) return problem(code, i, `template lists nested ${templates} deep, over the limit of ${L.templates}`);
      continue;
    }
    if (ch === ">" && templates > 0) {
      templates--;
      continue;
    }
    // Each operator character counts (an over-estimate for `<=` or `>>`, never an under-estimate).
    if (OPERATOR_CHARS.has(ch) && ch !== "=") {
      const ops = ++opsAt[opsAt.length - 1];
      if (depthWeight + ops > L.expressionDepth)
        return problem(code, i, `an expression nested too deeply: estimated depth ${depthWeight + ops}, over the limit of ${L.expressionDepth}`);
    }
  }
  return callDepthProblem(code, fnCalls);
}

/** The longest chain of calls between the user's functions, if over the limit (iterative: no recursion here either). */
function callDepthProblem(code: string, fnCalls: Map<string, Set<string>>): WgslNestingProblem | null {
  const limit = WGSL_NESTING_LIMITS.callDepth;
  if (fnCalls.size <= limit) return null;
  const depth = new Map<string, number>();
  const onStack = new Set<string>();
  for (const root of fnCalls.keys()) {
    if (depth.has(root)) continue;
    const stack: { name: string; callees: Iterator<string>; best: number }[] = [{ name: root, callees: fnCalls.get(root)!.values(), best: 0 }];
    onStack.add(root);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const next = top.callees.next();
      if (next.done) {
        stack.pop();
        onStack.delete(top.name);
        depth.set(top.name, top.best + 1);
        if (top.best + 1 > limit) {
          const at = code.search(new RegExp(`\\bfn\\s+${top.name}\\b`));
          return problem(code, Math.max(0, at), `functions call each other ${top.best + 1} deep from "${top.name}", over the limit of ${limit}`);
        }
        if (stack.length) stack[stack.length - 1].best = Math.max(stack[stack.length - 1].best, top.best + 1);
        continue;
      }
      const callee = next.value;
      if (!fnCalls.has(callee) || onStack.has(callee)) continue; // a builtin, or recursion (the compiler rejects it)
      const known = depth.get(callee);
      if (known !== undefined) top.best = Math.max(top.best, known);
      else {
        onStack.add(callee);
        stack.push({ name: callee, callees: fnCalls.get(callee)!.values(), best: 0 });
      }
    }
  }
  return null;
}
