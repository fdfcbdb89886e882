/**
 * SQL text helpers shared by the compilers and the `op` facade (pure):
 * a small lexer that knows where string literals, quoted identifiers, comments and dollar quotes are,
 * identifier quoting, literal rendering and inlining of bound parameters for --sql output.
 */
import type { DialectName, Statement } from "./types.js";

export interface SqlSegment {
  /** "code": plain SQL where placeholders may appear; everything else is opaque text. */
  readonly kind: "code" | "string" | "identifier" | "comment";
  readonly text: string;
}

function isIdentChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_$\u0080-\uffff]/.test(ch);
}

/** Split SQL text into code and opaque segments (string literals, quoted identifiers, comments). */
export function scanSql(sql: string, dialect: DialectName): SqlSegment[] {
  const out: SqlSegment[] = [];
  let code = "";
  const flush = () => {
    if (code) out.push({ kind: "code", text: code });
    code = "";
  };
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    // quoted: '...'  (MySQL: backslash escapes; PostgreSQL: E'...' backslash escapes)
    if (ch === "'" || (ch === '"' && dialect === "mysql")) {
      const prev = code[code.length - 1];
      const prev2 = code[code.length - 2];
      const backslashes = dialect === "mysql" || (dialect === "postgresql" && (prev === "E" || prev === "e") && !isIdentChar(prev2));
      let j = i + 1;
      while (j < n) {
        const c = sql[j]!;
        if (backslashes && c === "\\") { j += 2; continue; }
        if (c === ch) {
          if (sql[j + 1] === ch) { j += 2; continue; }
          break;
        }
        j++;
      }
      flush();
      out.push({ kind: "string", text: sql.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    if (ch === '"' || ch === "`" || (ch === "[" && dialect === "sqlite")) {
      const close = ch === "[" ? "]" : ch;
      let j = i + 1;
      while (j < n) {
        if (sql[j] === close) {
          if (close !== "]" && sql[j + 1] === close) { j += 2; continue; }
          break;
        }
        j++;
      }
      flush();
      out.push({ kind: "identifier", text: sql.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    if ((ch === "-" && next === "-") || (ch === "#" && dialect === "mysql")) {
      let j = sql.indexOf("\n", i);
      if (j < 0) j = n;
      flush();
      out.push({ kind: "comment", text: sql.slice(i, j) });
      i = j;
      continue;
    }
    if (ch === "/" && next === "*") {
      let j = sql.indexOf("*/", i + 2);
      j = j < 0 ? n : j + 2;
      flush();
      out.push({ kind: "comment", text: sql.slice(i, j) });
      i = j;
      continue;
    }
    if (ch === "$" && dialect === "postgresql" && !isIdentChar(code[code.length - 1])) {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (m) {
        const tag = m[0];
        const end = sql.indexOf(tag, i + tag.length);
        const j = end < 0 ? n : end + tag.length;
        flush();
        out.push({ kind: "string", text: sql.slice(i, j) });
        i = j;
        continue;
      }
    }
    code += ch;
    i++;
  }
  flush();
  return out;
}

// ---------------------------------------------------------------- identifiers and literals

export function quoteIdentifierFor(dialect: DialectName, name: string): string {
  if (typeof name !== "string" || name.length === 0) throw new TypeError(`invalid identifier ${JSON.stringify(name)}`);
  if (name.includes("\0")) throw new TypeError("identifiers cannot contain NUL characters");
  if (dialect === "mysql") return "`" + name.replace(/`/g, "``") + "`";
  return '"' + name.replace(/"/g, '""') + '"';
}

export function quoteStringFor(dialect: DialectName, value: string): string {
  if (dialect === "mysql") {
    let s = "";
    for (const ch of value) {
      switch (ch) {
        case "\\": s += "\\\\"; break;
        case "'": s += "''"; break;
        case "\0": s += "\\0"; break;
        case "\x1a": s += "\\Z"; break;
        default: s += ch;
      }
    }
    return `'${s}'`;
  }
  if (value.includes("\0")) throw new TypeError(`string literals cannot contain NUL characters on ${dialect}`);
  // PostgreSQL (standard_conforming_strings = on, the default since 9.1) and SQLite: only quotes are special.
  return `'${value.replace(/'/g, "''")}'`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** UTC `YYYY-MM-DD HH:MM:SS.mmm`. */
export function formatDateUtc(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new TypeError("invalid Date");
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** Render a JavaScript value as a SQL literal for `dialect`, safely escaped. */
export function renderLiteralFor(dialect: DialectName, value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "boolean") return dialect === "postgresql" ? (value ? "true" : "false") : (value ? "1" : "0");
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`cannot render ${value} as a SQL literal`);
    return String(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return quoteStringFor(dialect, value);
  if (value instanceof Date) {
    return quoteStringFor(dialect, dialect === "postgresql" ? value.toISOString() : formatDateUtc(value));
  }
  if (value instanceof Uint8Array) {
    const hex = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex");
    return dialect === "postgresql" ? `'\\x${hex}'::bytea` : `X'${hex}'`;
  }
  if (typeof value === "object") return quoteStringFor(dialect, JSON.stringify(value));
  throw new TypeError(`cannot render a ${typeof value} as a SQL literal`);
}

/**
 * Render a statement with its parameters inlined as literals (for --sql output).
 * Placeholders are `$n` on PostgreSQL and `?` on MySQL/SQLite; those inside string literals,
 * quoted identifiers and comments are left alone.
 */
export function inlineStatementFor(dialect: DialectName, statement: Statement): string {
  const params = statement.params ?? [];
  if (params.length === 0) return statement.sql;
  let position = 0;
  let used = 0;
  const seen = new Set<number>();
  const out = scanSql(statement.sql, dialect).map((seg) => {
    if (seg.kind !== "code") return seg.text;
    if (dialect === "postgresql") {
      return seg.text.replace(/(^|[^A-Za-z0-9_$])\$(\d+)/g, (_m, pre: string, num: string) => {
        const k = Number(num);
        if (k < 1 || k > params.length) throw new Error(`placeholder $${k} has no parameter (${params.length} given)`);
        seen.add(k);
        return pre + renderLiteralFor(dialect, params[k - 1]);
      });
    }
    return seg.text.replace(/\?/g, () => {
      if (position >= params.length) throw new Error(`more ? placeholders than parameters (${params.length})`);
      used++;
      return renderLiteralFor(dialect, params[position++]);
    });
  }).join("");
  const consumed = dialect === "postgresql" ? seen.size : used;
  if (consumed !== params.length) throw new Error(`statement has ${consumed} placeholder(s) but ${params.length} parameter(s)`);
  return out;
}

/**
 * Whether `s` is one parenthesised group, `(...)`, with quotes respected (`backslashEscapes`: MySQL
 * string literals, where a backslash escapes the next character).
 */
export function isFullyParenthesized(s: string, backslashEscapes = false): boolean {
  if (!s.startsWith("(") || !s.endsWith(")")) return false;
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (backslashEscapes && ch === "\\" && quote === "'") { i++; continue; }
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === "`") quote = ch;
    else if (ch === "(") depth++;
    else if (ch === ")") {
      depth--;
      if (depth === 0 && i < s.length - 1) return false;
    }
  }
  return depth === 0;
}
