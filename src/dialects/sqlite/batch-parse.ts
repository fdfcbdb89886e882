/**
 * A small tokenizer/parser for SQLite's stored CREATE TABLE / CREATE INDEX text (sqlite_master.sql):
 * what the PRAGMAs don't tell (constraint names, CHECK conditions, AUTOINCREMENT, COLLATE,
 * FK deferrability, index expressions and predicates). Pure.
 */

export interface Token {
  readonly type: "word" | "quoted" | "string" | "number" | "punct";
  readonly text: string;
  /** Identifier value: unquoted for quoted identifiers; the text otherwise. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i]!;
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === "-" && sql[i + 1] === "-") {
      const j = sql.indexOf("\n", i);
      i = j < 0 ? n : j + 1;
      continue;
    }
    if (ch === "/" && sql[i + 1] === "*") {
      const j = sql.indexOf("*/", i + 2);
      i = j < 0 ? n : j + 2;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === "`" || ch === "[") {
      const close = ch === "[" ? "]" : ch;
      let j = i + 1;
      let value = "";
      while (j < n) {
        const c = sql[j]!;
        if (c === close) {
          if (close !== "]" && sql[j + 1] === close) { value += c; j += 2; continue; }
          break;
        }
        value += c;
        j++;
      }
      const text = sql.slice(i, j + 1);
      out.push({ type: ch === "'" ? "string" : "quoted", text, value, start: i, end: j + 1 });
      i = j + 1;
      continue;
    }
    if ((ch === "x" || ch === "X") && sql[i + 1] === "'") {
      const j = sql.indexOf("'", i + 2);
      const end = j < 0 ? n : j + 1;
      out.push({ type: "string", text: sql.slice(i, end), value: sql.slice(i, end), start: i, end });
      i = end;
      continue;
    }
    if (/[A-Za-z_\u0080-\uffff]/.test(ch)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j]!)) j++;
      const text = sql.slice(i, j);
      out.push({ type: "word", text, value: text, start: i, end: j });
      i = j;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === "." && /[0-9]/.test(sql[i + 1] ?? ""))) {
      const m = /^(0[xX][0-9A-Fa-f]+|(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)/.exec(sql.slice(i))!;
      out.push({ type: "number", text: m[0], value: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
      continue;
    }
    out.push({ type: "punct", text: ch, value: ch, start: i, end: i + 1 });
    i++;
  }
  return out;
}

const isWord = (t: Token | undefined, ...words: string[]): boolean =>
  t !== undefined && t.type === "word" && words.includes(t.value.toUpperCase());
const isPunct = (t: Token | undefined, p: string): boolean => t !== undefined && t.type === "punct" && t.text === p;
const isIdent = (t: Token | undefined): boolean => t !== undefined && (t.type === "word" || t.type === "quoted" || (t.type === "string"));

/** Index of the token closing the parenthesis opened at `open`. */
function matchParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isPunct(tokens[i], "(")) depth++;
    else if (isPunct(tokens[i], ")")) {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new Error("unbalanced parentheses in stored SQL");
}

/** Split tokens [from, to) at top-level commas. */
function splitTopLevel(tokens: readonly Token[], from: number, to: number): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    if (isPunct(tokens[i], "(")) depth++;
    else if (isPunct(tokens[i], ")")) depth--;
    else if (depth === 0 && isPunct(tokens[i], ",")) {
      parts.push([start, i]);
      start = i + 1;
    }
  }
  if (start < to) parts.push([start, to]);
  return parts;
}

function identList(tokens: readonly Token[], open: number): { names: string[]; close: number } {
  const close = matchParen(tokens, open);
  const names: string[] = [];
  for (const [a, b] of splitTopLevel(tokens, open + 1, close)) {
    const t = tokens[a];
    if (t && isIdent(t)) names.push(t.value);
    void b;
  }
  return { names, close };
}

export interface ParsedForeignKey {
  name: string | null;
  columns: string[];
  referentTable: string;
  referentColumns: string[];
  deferrable: boolean | null;
  initiallyDeferred: boolean | null;
}

export interface ParsedColumn {
  name: string;
  /** Declared type text (may be empty). */
  type: string;
  collate: string | null;
  autoincrement: boolean;
  /** A generated column (`GENERATED ALWAYS AS (...)`); only with `allowGenerated` (otherwise parsing throws). */
  generated?: boolean;
}

export interface ParsedTable {
  columns: ParsedColumn[];
  primaryKeyName: string | null;
  uniques: Array<{ name: string | null; columns: string[] }>;
  checks: Array<{ name: string | null; condition: string }>;
  foreignKeys: ParsedForeignKey[];
  /** Text after the closing parenthesis (e.g. `WITHOUT ROWID`, `STRICT`). */
  tail: string;
}

const COLUMN_CONSTRAINT_WORDS = ["CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS"];

/** Parse the references clause starting at `i` (the REFERENCES token). Returns the index after it. */
function parseReferences(tokens: readonly Token[], sql: string, i: number, fk: ParsedForeignKey): number {
  i++; // REFERENCES
  fk.referentTable = tokens[i]?.value ?? "";
  i++;
  if (isPunct(tokens[i], "(")) {
    const { names, close } = identList(tokens, i);
    fk.referentColumns = names;
    i = close + 1;
  }
  while (i < tokens.length) {
    const t = tokens[i];
    if (isWord(t, "ON")) {
      i += 2; // ON DELETE|UPDATE
      if (isWord(tokens[i], "SET", "NO")) i += 2; else i += 1;
    } else if (isWord(t, "MATCH")) {
      i += 2;
    } else if (isWord(t, "NOT") && isWord(tokens[i + 1], "DEFERRABLE")) {
      fk.deferrable = false;
      i += 2;
    } else if (isWord(t, "DEFERRABLE")) {
      fk.deferrable = true;
      i++;
    } else if (isWord(t, "INITIALLY")) {
      fk.initiallyDeferred = isWord(tokens[i + 1], "DEFERRED");
      i += 2;
    } else break;
  }
  void sql;
  return i;
}

export interface ParseCreateTableOptions {
  /** Accept generated columns (marked `generated: true`) instead of throwing (introspection reads them). */
  allowGenerated?: boolean;
}

export function parseCreateTable(sql: string, options: ParseCreateTableOptions = {}): ParsedTable {
  const tokens = tokenize(sql);
  const open = tokens.findIndex((t) => isPunct(t, "("));
  if (open < 0) throw new Error("cannot parse CREATE TABLE: no column list");
  const close = matchParen(tokens, open);
  const result: ParsedTable = {
    columns: [], primaryKeyName: null, uniques: [], checks: [], foreignKeys: [],
    tail: sql.slice(tokens[close]!.end).trim().replace(/;$/, "").trim(),
  };
  for (const [a, b] of splitTopLevel(tokens, open + 1, close)) {
    let i = a;
    const first = tokens[i];
    if (!first) continue;
    if (isWord(first, "CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN")) {
      let name: string | null = null;
      if (isWord(tokens[i], "CONSTRAINT")) {
        name = tokens[i + 1]?.value ?? null;
        i += 2;
      }
      if (isWord(tokens[i], "PRIMARY")) {
        result.primaryKeyName = name;
      } else if (isWord(tokens[i], "UNIQUE")) {
        const p = tokens.findIndex((t, k) => k > i && isPunct(t, "("));
        result.uniques.push({ name, columns: identList(tokens, p).names });
      } else if (isWord(tokens[i], "CHECK")) {
        const p = i + 1;
        const c = matchParen(tokens, p);
        result.checks.push({ name, condition: sql.slice(tokens[p]!.end, tokens[c]!.start).trim() });
      } else if (isWord(tokens[i], "FOREIGN")) {
        const p = i + 2;
        const { names, close: c } = identList(tokens, p);
        const fk: ParsedForeignKey = { name, columns: names, referentTable: "", referentColumns: [], deferrable: null, initiallyDeferred: null };
        if (isWord(tokens[c + 1], "REFERENCES")) parseReferences(tokens, sql, c + 1, fk);
        result.foreignKeys.push(fk);
      }
      continue;
    }
    // a column definition
    const colName = first.value;
    i++;
    const typeStart = i;
    while (i < b && !isWord(tokens[i], ...COLUMN_CONSTRAINT_WORDS)) {
      if (isPunct(tokens[i], "(")) i = matchParen(tokens, i) + 1;
      else i++;
    }
    const type = i > typeStart ? sql.slice(tokens[typeStart]!.start, tokens[i - 1]!.end) : "";
    const col: ParsedColumn = { name: colName, type, collate: null, autoincrement: false };
    let pending: string | null = null;
    while (i < b) {
      const t = tokens[i];
      if (isWord(t, "CONSTRAINT")) {
        pending = tokens[i + 1]?.value ?? null;
        i += 2;
        continue;
      }
      if (isWord(t, "PRIMARY")) {
        result.primaryKeyName = pending;
        i += 2;
        while (i < b && isWord(tokens[i], "ASC", "DESC", "ON", "CONFLICT", "ROLLBACK", "ABORT", "FAIL", "IGNORE", "REPLACE", "AUTOINCREMENT")) {
          if (isWord(tokens[i], "AUTOINCREMENT")) col.autoincrement = true;
          i++;
        }
      } else if (isWord(t, "UNIQUE")) {
        result.uniques.push({ name: pending, columns: [colName] });
        i++;
      } else if (isWord(t, "CHECK")) {
        const c = matchParen(tokens, i + 1);
        result.checks.push({ name: pending, condition: sql.slice(tokens[i + 1]!.end, tokens[c]!.start).trim() });
        i = c + 1;
      } else if (isWord(t, "DEFAULT")) {
        i++;
        if (isPunct(tokens[i], "(")) i = matchParen(tokens, i) + 1;
        else {
          if (isPunct(tokens[i], "-") || isPunct(tokens[i], "+")) i++;
          i++;
        }
      } else if (isWord(t, "COLLATE")) {
        col.collate = tokens[i + 1]?.text ?? null;
        i += 2;
      } else if (isWord(t, "REFERENCES")) {
        const fk: ParsedForeignKey = { name: pending, columns: [colName], referentTable: "", referentColumns: [], deferrable: null, initiallyDeferred: null };
        i = parseReferences(tokens, sql, i, fk);
        result.foreignKeys.push(fk);
      } else if (isWord(t, "GENERATED", "AS") && options.allowGenerated) {
        while (i < b && isWord(tokens[i], "GENERATED", "ALWAYS", "AS")) i++;
        if (isPunct(tokens[i], "(")) i = matchParen(tokens, i) + 1;
        if (isWord(tokens[i], "STORED", "VIRTUAL")) i++;
        col.generated = true;
      } else if (isWord(t, "GENERATED", "AS")) {
        throw new Error(`column "${colName}" is a generated column, which batch recreate does not support`);
      } else {
        i++; // NOT NULL, NULL, ON CONFLICT ..., stray words
        continue;
      }
      pending = null;
    }
    result.columns.push(col);
  }
  return result;
}

export interface ParsedIndex {
  name: string;
  table: string;
  unique: boolean;
  /** Each element: a bare column name, or the raw text of an expression / a column with ASC/DESC/COLLATE. */
  elements: Array<{ column: string } | { expression: string }>;
  where: string | null;
}

export function parseCreateIndex(sql: string): ParsedIndex {
  const tokens = tokenize(sql);
  let i = 1; // CREATE
  const unique = isWord(tokens[i], "UNIQUE");
  if (unique) i++;
  i++; // INDEX
  if (isWord(tokens[i], "IF")) i += 3;
  let name = tokens[i]!.value;
  i++;
  if (isPunct(tokens[i], ".")) { name = tokens[i + 1]!.value; i += 2; }
  i++; // ON
  const table = tokens[i]!.value;
  i++;
  const open = i;
  const close = matchParen(tokens, open);
  const elements: ParsedIndex["elements"] = [];
  for (const [a, b] of splitTopLevel(tokens, open + 1, close)) {
    if (b - a === 1 && isIdent(tokens[a]) && tokens[a]!.type !== "string") elements.push({ column: tokens[a]!.value });
    else elements.push({ expression: sql.slice(tokens[a]!.start, tokens[b - 1]!.end) });
  }
  let where: string | null = null;
  if (isWord(tokens[close + 1], "WHERE")) {
    where = sql.slice(tokens[close + 1]!.end).trim().replace(/;$/, "").trim();
  }
  return { name, table, unique, elements, where };
}

/** Whether SQL text refers to an identifier (bare or quoted, case-insensitive), outside string literals. */
export function sqlReferencesIdentifier(sql: string, name: string): boolean {
  const lower = name.toLowerCase();
  return tokenize(sql).some((t) => (t.type === "word" || t.type === "quoted") && t.value.toLowerCase() === lower);
}

/** Rewrite references to identifier `from` as the quoted identifier `to` (string literals untouched). */
export function renameIdentifierInSql(sql: string, from: string, to: string, quote: (name: string) => string): string {
  const lower = from.toLowerCase();
  let out = "";
  let last = 0;
  for (const t of tokenize(sql)) {
    if ((t.type === "word" || t.type === "quoted") && t.value.toLowerCase() === lower) {
      out += sql.slice(last, t.start) + quote(to);
      last = t.end;
    }
  }
  return out + sql.slice(last);
}
