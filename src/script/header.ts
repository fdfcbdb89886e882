/**
 * Reading a revision file's header without executing it.
 *
 * A revision file declares its place in the graph with four literal exports
 * (`revision`, `downRevision`, `branchLabels`, `dependsOn`) and describes itself in a leading
 * `/** … *\/` docstring. This module reads those with a small purpose-built scanner: it knows
 * enough JavaScript/TypeScript lexical grammar (comments, strings, template literals, regular
 * expressions, braces) to find top-level `export const` declarations, and reads their values
 * only when they are plain literals. Nothing is compiled or executed, which keeps `history`,
 * `heads` and friends fast on projects with thousands of revisions.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { RevisionHeader } from "../graph/types.js";
import { ScriptError } from "./errors.js";

/** The header exports, in their conventional order. */
const HEADER_NAMES = ["revision", "downRevision", "branchLabels", "dependsOn"] as const;
type HeaderName = (typeof HEADER_NAMES)[number];

/** Alembic's snake_case names, rejected with a hint rather than silently ignored. */
const SNAKE_CASE: Record<string, HeaderName> = {
  down_revision: "downRevision",
  branch_labels: "branchLabels",
  depends_on: "dependsOn",
};

/** After these identifiers a `/` starts a regular expression, not a division. */
const KEYWORDS_BEFORE_EXPRESSION = new Set([
  "return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do",
  "else", "yield", "await", "extends",
]);

/**
 * Set once all four exports are found: does the rest of the file contain another
 * `export const|let|var`? Only then is the rest scanned (to report duplicates).
 */
const LATER_EXPORT = /\bexport(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*)+(?:const|let|var)\b/g;

type Value = string | string[] | null;

/** States of the scanner's `/` disambiguation. */
const DIVISION = 0, REGEX = 1, AFTER_IDENT = 2;

// Character codes used by the scanner.
const TAB = 9, LF = 10, CR = 13, SPACE = 32, BANG = 33, DQUOTE = 34, HASH = 35, DOLLAR = 36,
  SQUOTE = 39, LPAREN = 40, RPAREN = 41, STAR = 42, COMMA = 44, DOT = 46, SLASH = 47,
  COLON = 58, SEMI = 59, EQ = 61, GT = 62, LBRACKET = 91, BACKSLASH = 92, RBRACKET = 93,
  UNDERSCORE = 95, BACKTICK = 96, LBRACE = 123, RBRACE = 125;

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === UNDERSCORE || c === DOLLAR ||
    (c >= 128 && c !== 0xa0 && c !== 0xfeff && c !== 0x2028 && c !== 0x2029);
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

function isWhitespace(c: number): boolean {
  return c === SPACE || (c >= TAB && c <= CR) || c === 0xa0 || c === 0xfeff || c === 0x2028 ||
    c === 0x2029;
}

/** Characters that, at the start of the next line, continue the previous expression. */
function continuesExpression(c: number): boolean {
  switch (c) {
    case 43: case 45: case STAR: case SLASH: case 37: case DOT: case 63: case 124: case 38:
    case COMMA: case EQ: case 60: case GT: case LBRACKET: case LPAREN: case BACKTICK:
      return true;
    default:
      return false;
  }
}

/**
 * Read the header of a revision file: its four exports and its docstring.
 *
 * `source` may be given to avoid reading the file (the path is then used for messages and the
 * result's `path` only). Throws {@link ScriptError} `<path>:<line>: <why>` when the header
 * cannot be read statically.
 */
export function readRevisionHeader(path: string, source?: string): RevisionHeader {
  let text = source;
  if (text === undefined) {
    try {
      text = readText(path);
    } catch (error) {
      throw new ScriptError(`Cannot read ${path}: ${(error as Error).message}`, { file: path, cause: error });
    }
  }
  const absolute = isAbsolute(path) ? path : resolve(path);
  return new HeaderScanner(path, text).read(absolute);
}

let readBuffer: Buffer | undefined;

/** Read a UTF-8 file through one reused buffer (fewer allocations and system calls than readFileSync). */
function readText(path: string): string {
  readBuffer ??= Buffer.allocUnsafe(64 * 1024);
  const fd = openSync(path, "r");
  try {
    let n = 0;
    for (;;) {
      const r = readSync(fd, readBuffer, n, readBuffer.length - n, null);
      if (r === 0) break;
      n += r;
      if (n === readBuffer.length) {
        const bigger = Buffer.allocUnsafe(readBuffer.length * 2);
        readBuffer.copy(bigger);
        readBuffer = bigger;
      }
    }
    return readBuffer.toString("utf8", 0, n);
  } finally {
    closeSync(fd);
  }
}

/** The parts of a docstring the header exposes. */
export interface ParsedDocstring {
  docstring: string;
  message: string;
  createDate: string | null;
}

/**
 * Turn the inside of a `/** … *\/` comment into text: the leading `*` and one space are
 * removed from each line, outer blank lines dropped; the message is the first paragraph.
 */
export function parseDocstring(raw: string): ParsedDocstring {
  const lines: string[] = [];
  const n = raw.length;
  let lineStart = 0;
  while (lineStart <= n) {
    let lineEnd = raw.indexOf("\n", lineStart);
    if (lineEnd === -1) lineEnd = n;
    // Strip indentation, then a leading `*` and one space after it.
    let a = lineStart;
    while (a < lineEnd && (raw.charCodeAt(a) === SPACE || raw.charCodeAt(a) === TAB)) a++;
    if (raw.charCodeAt(a) === STAR) {
      a++;
      if (raw.charCodeAt(a) === SPACE) a++;
    }
    // Strip trailing whitespace (and the CR of CRLF).
    let b = lineEnd;
    while (b > a && isWhitespace(raw.charCodeAt(b - 1))) b--;
    lines.push(raw.slice(a, b));
    lineStart = lineEnd + 1;
  }
  let docstring = lines.join("\n").trim();
  if (docstring.includes("*\\/")) docstring = docstring.replaceAll("*\\/", "*/");
  const blank = docstring.indexOf("\n\n");
  const message = blank === -1 ? docstring : docstring.slice(0, blank);
  let createDate: string | null = null;
  const label = "Create Date:";
  for (let at = docstring.indexOf(label); at !== -1; at = docstring.indexOf(label, at + 1)) {
    if (at === 0 || docstring.charCodeAt(at - 1) === LF) {
      const eol = docstring.indexOf("\n", at);
      createDate = docstring.slice(at + label.length, eol === -1 ? undefined : eol).trim();
      break;
    }
  }
  return { docstring, message, createDate };
}

class HeaderScanner {
  private readonly src: string;
  private readonly len: number;
  private readonly path: string;
  private pos = 0;
  /** Whether the last {@link skipTrivia} crossed a line break. */
  private sawNewline = false;
  private docRaw: string | null = null;
  /** Values of the header exports, by index in HEADER_NAMES; undefined until found. */
  private readonly values: (Value | undefined)[] = [undefined, undefined, undefined, undefined];
  /** Offsets of the `export` keyword of each header export found, -1 until found. */
  private readonly starts: number[] = [-1, -1, -1, -1];
  private found = 0;
  /** Offset of the declaration being read, for its error messages. */
  private declStart = 0;
  /** Position after the literal just read by readString/readTemplate/readArray. */
  private end = 0;
  /** After all four exports were found and a later `export const` was seen: scan to the end. */
  private fullScan = false;

  constructor(path: string, src: string) {
    this.path = path;
    this.src = src;
    this.len = src.length;
  }

  read(absolute: string): RevisionHeader {
    this.leadingComments();
    this.code(false);

    const revision = this.values[0];
    if (revision === undefined) {
      throw ScriptError.at(this.path, 1, "no 'export const revision = \"…\"' declaration found");
    }
    // `revision` is checked to be a non-empty string where it is read.
    const down = this.values[1];
    if (down === undefined) {
      this.fail(
        this.starts[0] ?? 0,
        "no 'export const downRevision' declaration found (use null for a base revision)",
      );
    }
    const doc = this.docRaw === null ? { docstring: "", message: "", createDate: null }
      : parseDocstring(this.docRaw);
    return {
      revision: revision as string,
      downRevisions: toList(down),
      branchLabels: toList(this.values[2] ?? null),
      dependsOn: toList(this.values[3] ?? null),
      message: doc.message,
      docstring: doc.docstring,
      createDate: doc.createDate,
      path: absolute,
    };
  }

  // ---------------------------------------------------------------------------------------
  // Errors and positions

  private lineOf(offset: number): number {
    let line = 1;
    let i = this.src.indexOf("\n");
    while (i !== -1 && i < offset) {
      line++;
      i = this.src.indexOf("\n", i + 1);
    }
    return line;
  }

  private fail(offset: number, why: string): never {
    throw ScriptError.at(this.path, this.lineOf(offset), why);
  }

  /** Fail at the line of the declaration being read. */
  private declFail(why: string): never {
    return this.fail(this.declStart, why);
  }

  // ---------------------------------------------------------------------------------------
  // Leading comments: BOM, shebang, the docstring

  private leadingComments(): void {
    const s = this.src;
    let p = 0;
    if (s.charCodeAt(0) === 0xfeff) p = 1;
    if (s.charCodeAt(p) === HASH && s.charCodeAt(p + 1) === BANG) {
      const nl = s.indexOf("\n", p);
      p = nl === -1 ? this.len : nl + 1;
    }
    for (;;) {
      while (p < this.len && isWhitespace(s.charCodeAt(p))) p++;
      if (s.charCodeAt(p) !== SLASH) break;
      const next = s.charCodeAt(p + 1);
      if (next === SLASH) {
        const nl = s.indexOf("\n", p);
        p = nl === -1 ? this.len : nl + 1;
      } else if (next === STAR) {
        const end = s.indexOf("*/", p + 2);
        if (end === -1) this.fail(p, "unterminated comment");
        if (this.docRaw === null && s.charCodeAt(p + 2) === STAR && end > p + 2) {
          this.docRaw = s.slice(p + 3, end);
        }
        p = end + 2;
      } else {
        break;
      }
    }
    this.pos = p;
  }

  // ---------------------------------------------------------------------------------------
  // Skipping code

  /**
   * Skip code from `this.pos`, handling top-level `export` declarations. With `nested`, the
   * code is a template literal's `${…}` and the scan ends after its closing brace.
   * Skipping is lenient: broken syntax outside the header is for the compiler to report.
   */
  private code(nested: boolean): void {
    const s = this.src;
    const len = this.len;
    let p = this.pos;
    let depth = 0;
    // What a `/` here starts: a regular expression (REGEX), a division (DIVISION), or, after an
    // identifier, either (`return /x/` vs `a / b`): decided only when a `/` does follow.
    let slash = REGEX;
    while (p < len) {
      const c = s.charCodeAt(p);
      if (c <= SPACE || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029) {
        p++;
        continue;
      }
      switch (c) {
        case SLASH: {
          const next = s.charCodeAt(p + 1);
          if (next === SLASH) {
            const nl = s.indexOf("\n", p);
            p = nl === -1 ? len : nl + 1;
          } else if (next === STAR) {
            const end = s.indexOf("*/", p + 2);
            p = end === -1 ? len : end + 2;
          } else if (slash === REGEX || (slash === AFTER_IDENT && this.keywordBefore(p))) {
            p = this.skipRegex(p);
            slash = DIVISION;
          } else {
            p++;
            slash = REGEX;
          }
          break;
        }
        case DQUOTE:
        case SQUOTE:
          p = this.skipString(p);
          slash = DIVISION;
          break;
        case BACKTICK:
          p = this.skipTemplate(p);
          slash = DIVISION;
          break;
        case LBRACE:
          depth++;
          p++;
          slash = REGEX;
          break;
        case RBRACE:
          p++;
          if (depth === 0 && nested) {
            this.pos = p;
            return;
          }
          depth--;
          slash = REGEX;
          break;
        case RPAREN:
        case RBRACKET:
          p++;
          slash = DIVISION;
          break;
        default:
          if (isIdentStart(c)) {
            const start = p;
            p++;
            while (p < len && isIdentPart(s.charCodeAt(p))) p++;
            if (!nested && depth === 0 && p - start === 6 && s.startsWith("export", start)) {
              this.pos = p;
              if (this.exportDeclaration(start)) return;
              p = this.pos;
              slash = REGEX;
            } else {
              slash = AFTER_IDENT;
            }
          } else if (c >= 48 && c <= 57) {
            p++;
            while (p < len && (isIdentPart(s.charCodeAt(p)) || s.charCodeAt(p) === DOT)) p++;
            slash = DIVISION;
          } else {
            p++;
            slash = REGEX;
          }
      }
    }
    this.pos = p;
  }

  /** Is the identifier just before `p` (a `/`) a keyword after which an expression starts? */
  private keywordBefore(p: number): boolean {
    const s = this.src;
    let e = p;
    while (e > 0 && isWhitespace(s.charCodeAt(e - 1))) e--;
    let b = e;
    while (b > 0 && isIdentPart(s.charCodeAt(b - 1))) b--;
    return b < e && KEYWORDS_BEFORE_EXPRESSION.has(s.slice(b, e));
  }

  /** Skip a string in code; ends at the closing quote or, leniently, at the line's end. */
  private skipString(p: number): number {
    const s = this.src;
    const q = s.charCodeAt(p);
    p++;
    while (p < this.len) {
      const c = s.charCodeAt(p);
      if (c === q) return p + 1;
      if (c === BACKSLASH) p += 2;
      else if (c === LF) return p;
      else p++;
    }
    return p;
  }

  /** Skip a template literal in code, including its `${…}` substitutions. */
  private skipTemplate(p: number): number {
    const s = this.src;
    p++;
    while (p < this.len) {
      const c = s.charCodeAt(p);
      if (c === BACKTICK) return p + 1;
      if (c === BACKSLASH) {
        p += 2;
      } else if (c === DOLLAR && s.charCodeAt(p + 1) === LBRACE) {
        this.pos = p + 2;
        this.code(true);
        p = this.pos;
      } else {
        p++;
      }
    }
    return p;
  }

  /** Skip a regular expression literal (with its flags); ends leniently at the line's end. */
  private skipRegex(p: number): number {
    const s = this.src;
    p++;
    let inClass = false;
    while (p < this.len) {
      const c = s.charCodeAt(p);
      if (c === BACKSLASH) {
        p += 2;
        continue;
      }
      if (c === LF) return p;
      p++;
      if (inClass) {
        if (c === RBRACKET) inClass = false;
      } else if (c === LBRACKET) {
        inClass = true;
      } else if (c === SLASH) {
        while (p < this.len && isIdentPart(s.charCodeAt(p))) p++;
        return p;
      }
    }
    return p;
  }

  // ---------------------------------------------------------------------------------------
  // Header declarations

  /** Skip whitespace and comments from `p`; sets {@link sawNewline}. */
  private skipTrivia(p: number): number {
    const s = this.src;
    this.sawNewline = false;
    while (p < this.len) {
      const c = s.charCodeAt(p);
      if (c === LF || c === CR || c === 0x2028 || c === 0x2029) {
        this.sawNewline = true;
        p++;
      } else if (isWhitespace(c)) {
        p++;
      } else if (c === SLASH && s.charCodeAt(p + 1) === SLASH) {
        const nl = s.indexOf("\n", p);
        p = nl === -1 ? this.len : nl;
      } else if (c === SLASH && s.charCodeAt(p + 1) === STAR) {
        const end = s.indexOf("*/", p + 2);
        if (end === -1) this.fail(p, "unterminated comment");
        if (s.slice(p, end).includes("\n")) this.sawNewline = true;
        p = end + 2;
      } else {
        break;
      }
    }
    return p;
  }

  /** Is `word` at `p`, as a whole identifier? */
  private wordAt(p: number, word: string): boolean {
    return this.src.startsWith(word, p) && !isIdentPart(this.src.charCodeAt(p + word.length));
  }

  private identAt(p: number): string | null {
    const s = this.src;
    if (p >= this.len || !isIdentStart(s.charCodeAt(p))) return null;
    let e = p + 1;
    while (e < this.len && isIdentPart(s.charCodeAt(e))) e++;
    return s.slice(p, e);
  }

  /**
   * At `this.pos`, just after a top-level `export` at `start`. Reads a header declaration if
   * this is one; otherwise leaves `this.pos` where skipping can go on. Returns true when the
   * scan can stop (all four found and nothing that could be a duplicate follows).
   */
  private exportDeclaration(start: number): boolean {
    const s = this.src;
    let p = this.skipTrivia(this.pos);
    const kind = this.wordAt(p, "const") ? "const" : this.wordAt(p, "let") ? "let"
      : this.wordAt(p, "var") ? "var" : null;
    if (kind === null) return false;
    p = this.skipTrivia(p + kind.length);
    const name = this.identAt(p);
    if (name === null) {
      this.pos = p;
      return false;
    }
    p += name.length;
    const index = (HEADER_NAMES as readonly string[]).indexOf(name);
    if (index === -1) {
      const camel = SNAKE_CASE[name];
      if (camel !== undefined) {
        this.fail(start, `'${name}' is not recognized; the export is named '${camel}'`);
      }
      this.pos = p;
      return false;
    }
    this.declStart = start;
    if (kind !== "const") this.declFail(`'${name}' must be declared with 'export const', not '${kind}'`);
    const first = this.starts[index] ?? -1;
    if (first !== -1) {
      this.declFail(`duplicate export of '${name}' (first declared at line ${this.lineOf(first)})`);
    }

    // Optional type annotation, then `=`.
    p = this.skipTrivia(p);
    if (s.charCodeAt(p) === COLON) p = this.skipTypeAnnotation(p + 1, name);
    if (s.charCodeAt(p) !== EQ) this.declFail(`'${name}' must be initialized with a literal value`);
    p = this.skipTrivia(p + 1);

    const valueStart = p;
    let value: Value;
    const c = s.charCodeAt(p);
    if (c === DQUOTE || c === SQUOTE) {
      value = this.readString(p, name);
      p = this.end;
    } else if (c === BACKTICK) {
      value = this.readTemplate(p, name);
      p = this.end;
    } else if (c === LBRACKET) {
      value = this.readArray(p, name);
      p = this.end;
    } else {
      if (this.wordAt(p, "null")) {
        value = null;
        p += 4;
      } else if (this.wordAt(p, "undefined")) {
        value = null;
        p += 9;
      } else {
        this.declFail(this.nonLiteral(name, valueStart));
      }
    }

    // Optional `as const`, then the end of the statement.
    p = this.skipTrivia(p);
    if (this.wordAt(p, "as")) {
      const q = this.skipTrivia(p + 2);
      if (this.wordAt(q, "const")) p = this.skipTrivia(q + 5);
    }
    const endChar = s.charCodeAt(p);
    if (endChar === SEMI) {
      p++;
    } else if (endChar === COMMA) {
      this.declFail(`declare '${name}' in an 'export const' statement of its own`);
    } else if (p < this.len &&
      (endChar === RBRACE || !this.sawNewline || continuesExpression(endChar))) {
      this.declFail(this.nonLiteral(name, valueStart));
    }

    if (index === 0) {
      if (typeof value !== "string") this.declFail("'revision' must be a string literal");
      if (value.length === 0) this.declFail("'revision' must not be empty");
    }
    this.values[index] = value;
    this.starts[index] = start;
    this.found++;
    this.pos = p;

    if (this.found === HEADER_NAMES.length && !this.fullScan) {
      LATER_EXPORT.lastIndex = p;
      if (!LATER_EXPORT.test(s)) return true;
      this.fullScan = true;
    }
    return false;
  }

  /** Skip `: Type` up to the `=` of the initializer. */
  private skipTypeAnnotation(p: number, name: string): number {
    const s = this.src;
    while (p < this.len) {
      const c = s.charCodeAt(p);
      if (c === EQ) {
        const next = s.charCodeAt(p + 1);
        if (next !== EQ && next !== GT) return p;
        p += 2;
      } else if (c === SEMI) {
        break;
      } else if (c === SLASH) {
        const q = this.skipTrivia(p);
        p = q === p ? p + 1 : q;
      } else if (c === DQUOTE || c === SQUOTE) {
        this.readString(p, name);
        p = this.end;
      } else {
        p++;
      }
    }
    return this.declFail(`'${name}' must be initialized with a literal value`);
  }

  /** A message for a value that is not a literal, quoting the start of the expression. */
  private nonLiteral(name: string, valueStart: number): string {
    let endOfLine = this.src.indexOf("\n", valueStart);
    if (endOfLine === -1) endOfLine = this.len;
    let expr = this.src.slice(valueStart, endOfLine).trim().replace(/;$/, "");
    if (expr.length > 60) expr = `${expr.slice(0, 57)}...`;
    const expected = name === "revision" ? "a string literal"
      : "a string literal, an array of string literals, or null";
    return `'${name}' must be ${expected}, not an expression: ${expr || "(nothing)"}`;
  }

  /** Read a quoted string literal at `p`; sets {@link end} after it. */
  private readString(p: number, name: string): string {
    const s = this.src;
    const q = s.charCodeAt(p);
    p++;
    let out = "";
    let chunk = p;
    while (p < this.len) {
      const c = s.charCodeAt(p);
      if (c === q) {
        this.end = p + 1;
        return out + s.slice(chunk, p);
      }
      if (c === LF || c === CR) break;
      if (c === BACKSLASH) {
        out = this.escape(p, out + s.slice(chunk, p));
        p = chunk = this.end;
      } else {
        p++;
      }
    }
    return this.declFail(`unterminated string in '${name}'`);
  }

  /** Read a template literal without substitutions at `p`; sets {@link end} after it. */
  private readTemplate(p: number, name: string): string {
    const s = this.src;
    p++;
    let out = "";
    let chunk = p;
    while (p < this.len) {
      const c = s.charCodeAt(p);
      if (c === BACKTICK) {
        this.end = p + 1;
        return out + s.slice(chunk, p);
      }
      if (c === DOLLAR && s.charCodeAt(p + 1) === LBRACE) {
        this.declFail(`'${name}' must be a literal: template literals with \${…} substitutions are not`);
      }
      if (c === BACKSLASH) {
        out = this.escape(p, out + s.slice(chunk, p));
        p = chunk = this.end;
      } else if (c === CR) {
        out += `${s.slice(chunk, p)}\n`;
        p += s.charCodeAt(p + 1) === LF ? 2 : 1;
        chunk = p;
      } else {
        p++;
      }
    }
    return this.declFail(`unterminated template literal in '${name}'`);
  }

  /** Decode the escape sequence at `p` (a backslash) onto `out`; sets {@link end} after it. */
  private escape(p: number, out: string): string {
    const s = this.src;
    const e = s[p + 1];
    this.end = p + 2;
    switch (e) {
      case undefined: this.end = p + 1; return out;
      case "n": return `${out}\n`;
      case "t": return `${out}\t`;
      case "r": return `${out}\r`;
      case "b": return `${out}\b`;
      case "f": return `${out}\f`;
      case "v": return `${out}\v`;
      case "0": return `${out}\0`;
      case "\r": if (s[p + 2] === "\n") this.end = p + 3; return out;
      case "\n": return out;
      case "x": {
        const hex = s.slice(p + 2, p + 4);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) return out + e;
        this.end = p + 4;
        return out + String.fromCharCode(parseInt(hex, 16));
      }
      case "u": {
        if (s[p + 2] === "{") {
          const close = s.indexOf("}", p + 3);
          const hex = close === -1 ? "" : s.slice(p + 3, close);
          if (/^[0-9a-fA-F]{1,6}$/.test(hex) && parseInt(hex, 16) <= 0x10ffff) {
            this.end = close + 1;
            return out + String.fromCodePoint(parseInt(hex, 16));
          }
        } else {
          const hex = s.slice(p + 2, p + 6);
          if (/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.end = p + 6;
            return out + String.fromCharCode(parseInt(hex, 16));
          }
        }
        return out + e;
      }
      default: return out + e;
    }
  }

  /** Read `[ "a", 'b', ]` at `p`; sets {@link end} after it. */
  private readArray(p: number, name: string): string[] {
    const s = this.src;
    const items: string[] = [];
    p++;
    for (;;) {
      p = this.skipTrivia(p);
      if (p >= this.len) break;
      let c = s.charCodeAt(p);
      if (c === RBRACKET) {
        this.end = p + 1;
        return items;
      }
      if (c === DQUOTE || c === SQUOTE) items.push(this.readString(p, name));
      else if (c === BACKTICK) items.push(this.readTemplate(p, name));
      else this.declFail(`'${name}' must list string literals only, not: ${this.snippet(p)}`);
      p = this.skipTrivia(this.end);
      c = s.charCodeAt(p);
      if (c === COMMA) {
        p++;
      } else if (c === RBRACKET) {
        this.end = p + 1;
        return items;
      } else {
        break;
      }
    }
    return this.declFail(`unterminated array in '${name}' (expected ',' or ']')`);
  }

  private snippet(p: number): string {
    let end = this.src.indexOf("\n", p);
    if (end === -1) end = this.len;
    const text = this.src.slice(p, Math.min(end, p + 40)).trim();
    return text || "(nothing)";
  }
}

function toList(value: Value): string[] {
  if (value === null) return [];
  return typeof value === "string" ? [value] : value;
}
