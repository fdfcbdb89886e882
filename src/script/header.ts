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
import { readFileSync } from "node:fs";
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
  const text = source ?? readFileSync(path, "utf8");
  const absolute = isAbsolute(path) ? path : resolve(path);
  return new HeaderScanner(path, text).read(absolute);
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
  const lines = raw.split("\n");
  const out: string[] = [];
  for (let line of lines) {
    if (line.endsWith("\r")) line = line.slice(0, -1);
    let i = 0;
    while (i < line.length && (line[i] === " " || line[i] === "\t")) i++;
    if (line[i] === "*") {
      i++;
      if (line[i] === " ") i++;
      line = line.slice(i);
    } else {
      line = line.slice(i);
    }
    out.push(line.trimEnd());
  }
  const docstring = out.join("\n").trim().replaceAll("*\\/", "*/");
  const message = docstring.split(/\n[ \t]*\n/, 1)[0] ?? "";
  const m = /^Create Date:[ \t]*(.*)$/m.exec(docstring);
  const createDate = m ? (m[1] ?? "").trim() : null;
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
  private readonly values = new Map<HeaderName, Value>();
  private readonly lines = new Map<HeaderName, number>();
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

    const revision = this.values.get("revision");
    if (revision === undefined) {
      throw ScriptError.at(this.path, 1, "no 'export const revision = \"…\"' declaration found");
    }
    const revLine = this.lines.get("revision") ?? 1;
    if (typeof revision !== "string") {
      throw ScriptError.at(this.path, revLine, "'revision' must be a string literal");
    }
    if (revision.length === 0) {
      throw ScriptError.at(this.path, revLine, "'revision' must not be empty");
    }
    const down = this.values.get("downRevision");
    if (down === undefined) {
      throw ScriptError.at(
        this.path,
        revLine,
        "no 'export const downRevision' declaration found (use null for a base revision)",
      );
    }
    const doc = this.docRaw === null ? { docstring: "", message: "", createDate: null }
      : parseDocstring(this.docRaw);
    return {
      revision,
      downRevisions: toList(down),
      branchLabels: toList(this.values.get("branchLabels") ?? null),
      dependsOn: toList(this.values.get("dependsOn") ?? null),
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
    let regexOk = true;
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
          } else if (regexOk) {
            p = this.skipRegex(p);
            regexOk = false;
          } else {
            p++;
            regexOk = true;
          }
          break;
        }
        case DQUOTE:
        case SQUOTE:
          p = this.skipString(p);
          regexOk = false;
          break;
        case BACKTICK:
          p = this.skipTemplate(p);
          regexOk = false;
          break;
        case LBRACE:
          depth++;
          p++;
          regexOk = true;
          break;
        case RBRACE:
          p++;
          if (depth === 0 && nested) {
            this.pos = p;
            return;
          }
          depth--;
          regexOk = true;
          break;
        case RPAREN:
        case RBRACKET:
          p++;
          regexOk = false;
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
              regexOk = true;
            } else {
              regexOk = KEYWORDS_BEFORE_EXPRESSION.has(s.slice(start, p));
            }
          } else if (c >= 48 && c <= 57) {
            p++;
            while (p < len && (isIdentPart(s.charCodeAt(p)) || s.charCodeAt(p) === DOT)) p++;
            regexOk = false;
          } else {
            p++;
            regexOk = true;
          }
      }
    }
    this.pos = p;
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
    let p = this.skipTrivia(this.pos);
    const kind = this.identAt(p);
    if (kind !== "const" && kind !== "let" && kind !== "var") return false;
    p = this.skipTrivia(p + kind.length);
    const name = this.identAt(p);
    if (name === null) {
      this.pos = p;
      return false;
    }
    p += name.length;
    const camel = SNAKE_CASE[name];
    if (camel !== undefined) {
      this.fail(start, `'${name}' is not recognized; the export is named '${camel}'`);
    }
    if (!(HEADER_NAMES as readonly string[]).includes(name)) {
      this.pos = p;
      return false;
    }
    const header = name as HeaderName;
    const line = this.lineOf(start);
    const at: (why: string) => never = (why) => {
      throw ScriptError.at(this.path, line, why);
    };
    if (kind !== "const") at(`'${name}' must be declared with 'export const', not '${kind}'`);
    const firstLine = this.lines.get(header);
    if (firstLine !== undefined) {
      at(`duplicate export of '${name}' (first declared at line ${firstLine})`);
    }

    // Optional type annotation, then `=`.
    p = this.skipTrivia(p);
    if (this.src.charCodeAt(p) === COLON) p = this.skipTypeAnnotation(p + 1, name, at);
    if (this.src.charCodeAt(p) !== EQ) at(`'${name}' must be initialized with a literal value`);
    p = this.skipTrivia(p + 1);

    const valueStart = p;
    let value: Value;
    const c = this.src.charCodeAt(p);
    if (c === DQUOTE || c === SQUOTE) {
      [value, p] = this.readString(p, name, at);
    } else if (c === BACKTICK) {
      [value, p] = this.readTemplate(p, name, at);
    } else if (c === LBRACKET) {
      [value, p] = this.readArray(p, name, at);
    } else {
      const word = this.identAt(p);
      if (word === "null" || word === "undefined") {
        value = null;
        p += word.length;
      } else {
        at(this.nonLiteral(name, valueStart));
      }
    }

    // Optional `as const`, then the end of the statement.
    p = this.skipTrivia(p);
    if (this.identAt(p) === "as") {
      const q = this.skipTrivia(p + 2);
      if (this.identAt(q) === "const") p = this.skipTrivia(q + 5);
    }
    const end = this.src.charCodeAt(p);
    if (p >= this.len || end === SEMI) {
      if (end === SEMI) p++;
    } else if (end === RBRACE || end === COMMA || !this.sawNewline || continuesExpression(end)) {
      at(this.nonLiteral(name, valueStart));
    }

    if (header === "revision" && typeof value !== "string") {
      at("'revision' must be a string literal");
    }
    this.values.set(header, value);
    this.lines.set(header, line);
    this.pos = p;

    if (this.values.size === HEADER_NAMES.length && !this.fullScan) {
      LATER_EXPORT.lastIndex = p;
      if (!LATER_EXPORT.test(this.src)) return true;
      this.fullScan = true;
    }
    return false;
  }

  /** Skip `: Type` up to the `=` of the initializer. */
  private skipTypeAnnotation(p: number, name: string, at: (why: string) => never): number {
    const s = this.src;
    for (;;) {
      p = this.skipTrivia(p);
      if (p >= this.len) at(`'${name}' must be initialized with a literal value`);
      const c = s.charCodeAt(p);
      if (c === EQ) {
        const next = s.charCodeAt(p + 1);
        if (next !== EQ && next !== GT) return p;
        p += 2;
      } else if (c === SEMI) {
        at(`'${name}' must be initialized with a literal value`);
      } else if (c === DQUOTE || c === SQUOTE) {
        p = this.readString(p, name, at)[1];
      } else {
        p++;
      }
    }
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

  /** Read a quoted string literal at `p`; returns its value and the position after it. */
  private readString(p: number, name: string, at: (why: string) => never): [string, number] {
    const s = this.src;
    const q = s.charCodeAt(p);
    p++;
    let out = "";
    let chunk = p;
    while (p < this.len) {
      const c = s.charCodeAt(p);
      if (c === q) return [out + s.slice(chunk, p), p + 1];
      if (c === LF || c === CR) break;
      if (c === BACKSLASH) {
        out += s.slice(chunk, p);
        [out, p] = this.escape(p, out);
        chunk = p;
      } else {
        p++;
      }
    }
    return at(`unterminated string in '${name}'`);
  }

  /** Read a template literal without substitutions at `p`. */
  private readTemplate(p: number, name: string, at: (why: string) => never): [string, number] {
    const s = this.src;
    p++;
    let out = "";
    let chunk = p;
    while (p < this.len) {
      const c = s.charCodeAt(p);
      if (c === BACKTICK) return [out + s.slice(chunk, p), p + 1];
      if (c === DOLLAR && s.charCodeAt(p + 1) === LBRACE) {
        at(`'${name}' must be a literal: template literals with \${…} substitutions are not`);
      }
      if (c === BACKSLASH) {
        out += s.slice(chunk, p);
        [out, p] = this.escape(p, out);
        chunk = p;
      } else if (c === CR) {
        out += `${s.slice(chunk, p)}\n`;
        p += s.charCodeAt(p + 1) === LF ? 2 : 1;
        chunk = p;
      } else {
        p++;
      }
    }
    return at(`unterminated template literal in '${name}'`);
  }

  /** Decode the escape sequence at `p` (a backslash); returns the new text and position. */
  private escape(p: number, out: string): [string, number] {
    const s = this.src;
    const e = s[p + 1];
    switch (e) {
      case undefined: return [out, p + 1];
      case "n": return [`${out}\n`, p + 2];
      case "t": return [`${out}\t`, p + 2];
      case "r": return [`${out}\r`, p + 2];
      case "b": return [`${out}\b`, p + 2];
      case "f": return [`${out}\f`, p + 2];
      case "v": return [`${out}\v`, p + 2];
      case "0": return [`${out}\0`, p + 2];
      case "\r": return [out, s[p + 2] === "\n" ? p + 3 : p + 2];
      case "\n": return [out, p + 2];
      case "x": {
        const hex = s.slice(p + 2, p + 4);
        if (/^[0-9a-fA-F]{2}$/.test(hex)) return [out + String.fromCharCode(parseInt(hex, 16)), p + 4];
        return [out + e, p + 2];
      }
      case "u": {
        if (s[p + 2] === "{") {
          const close = s.indexOf("}", p + 3);
          const hex = close === -1 ? "" : s.slice(p + 3, close);
          if (/^[0-9a-fA-F]{1,6}$/.test(hex)) {
            return [out + String.fromCodePoint(parseInt(hex, 16)), close + 1];
          }
        } else {
          const hex = s.slice(p + 2, p + 6);
          if (/^[0-9a-fA-F]{4}$/.test(hex)) {
            return [out + String.fromCharCode(parseInt(hex, 16)), p + 6];
          }
        }
        return [out + e, p + 2];
      }
      default: return [out + e, p + 2];
    }
  }

  /** Read `[ "a", 'b', ]` at `p`. */
  private readArray(p: number, name: string, at: (why: string) => never): [string[], number] {
    const s = this.src;
    const items: string[] = [];
    p++;
    for (;;) {
      p = this.skipTrivia(p);
      if (p >= this.len) at(`unterminated array in '${name}'`);
      let c = s.charCodeAt(p);
      if (c === RBRACKET) return [items, p + 1];
      let item: string;
      if (c === DQUOTE || c === SQUOTE) [item, p] = this.readString(p, name, at);
      else if (c === BACKTICK) [item, p] = this.readTemplate(p, name, at);
      else return at(`'${name}' must list string literals only, not: ${this.snippet(p)}`);
      items.push(item);
      p = this.skipTrivia(p);
      c = s.charCodeAt(p);
      if (c === COMMA) p++;
      else if (c === RBRACKET) return [items, p + 1];
      else at(`unterminated array in '${name}' (expected ',' or ']')`);
    }
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
