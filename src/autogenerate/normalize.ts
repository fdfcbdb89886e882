/**
 * Dialect-aware normalisation for comparison (pure): two types, defaults or SQL snippets that mean
 * the same thing on a database normalise to the same string, so `varchar` vs `character varying`,
 * `int4` vs `integer` or `now()` vs `CURRENT_TIMESTAMP` are no difference.
 */
import { getCompiler } from "../dialects/compilers.js";
import type { DialectName } from "../dialects/types.js";
import { isSqlExpression } from "../schema/builders.js";
import type { ServerDefault, SqlType } from "../schema/types.js";

// ---------------------------------------------------------------------------------------- SQL text

/** Split SQL into [text, isQuotedString] pieces (single-quoted literals kept whole). */
function splitStrings(sql: string): [string, boolean][] {
  const out: [string, boolean][] = [];
  let i = 0;
  let buf = "";
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'") {
      if (buf) out.push([buf, false]);
      buf = "";
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === "\\" && j + 1 < sql.length) { j += 2; continue; }
        if (sql[j] === "'") {
          if (sql[j + 1] === "'") { j += 2; continue; }
          break;
        }
        j++;
      }
      out.push([sql.slice(i, j + 1), true]);
      i = j + 1;
      continue;
    }
    buf += ch;
    i++;
  }
  if (buf) out.push([buf, false]);
  return out;
}

/** Remove one level of parentheses when they wrap the whole text. */
function stripOuterParens(s: string): string {
  let t = s.trim();
  for (;;) {
    if (!t.startsWith("(") || !t.endsWith(")")) return t;
    let depth = 0;
    let quote = false;
    let wraps = true;
    for (let i = 0; i < t.length; i++) {
      const ch = t[i]!;
      if (quote) {
        if (ch === "'") quote = false;
        continue;
      }
      if (ch === "'") quote = true;
      else if (ch === "(") depth++;
      else if (ch === ")") {
        depth--;
        if (depth === 0 && i < t.length - 1) {
          wraps = false;
          break;
        }
      }
    }
    if (!wraps) return t;
    t = t.slice(1, -1).trim();
  }
}

/** PostgreSQL casts, `::text`, `::character varying(20)`, `::"status"`, `::text[]`. */
const PG_CAST = /::\s*(?:"[^"]+"|[a-z_][a-z0-9_]*(?:\s+(?:varying|precision|with(?:out)?\s+time\s+zone))*)(?:\s*\(\s*\d+(?:\s*,\s*\d+)?\s*\))?(?:\[\])*/gi;

/**
 * A SQL expression reduced for loose comparison: casts, parentheses, identifier quotes and
 * whitespace removed, lower-cased outside string literals. Used for CHECK conditions, partial-index
 * predicates and index expressions, whose text databases rewrite.
 */
export function normalizeSqlExpression(sql: string): string {
  return splitStrings(sql)
    .map(([text, quoted]) => {
      if (quoted) return text;
      return text
        .replace(PG_CAST, "")
        .replace(/["`[\]()]/g, "")
        .replace(/\s+/g, "")
        .toLowerCase();
    })
    .join("");
}

// ---------------------------------------------------------------------------------------- types

const PG_SYNONYMS: [RegExp, string][] = [
  [/^CHARACTER VARYING/, "VARCHAR"],
  [/^CHARACTER(?=\(|$)/, "CHAR"],
  [/^BPCHAR/, "CHAR"],
  [/^(?:INT4|INT|SERIAL|SERIAL4)$/, "INTEGER"],
  [/^(?:INT8|BIGSERIAL|SERIAL8)$/, "BIGINT"],
  [/^(?:INT2|SMALLSERIAL|SERIAL2)$/, "SMALLINT"],
  [/^BOOL$/, "BOOLEAN"],
  [/^DECIMAL/, "NUMERIC"],
  [/^(?:FLOAT8|DOUBLE PRECISION)$/, "FLOAT"],
  [/^FLOAT4$/, "REAL"],
  [/^TIMESTAMPTZ/, "TIMESTAMP WITH TIME ZONE"],
  [/^TIMETZ/, "TIME WITH TIME ZONE"],
  [/^TIMESTAMP$/, "TIMESTAMP WITHOUT TIME ZONE"],
  [/^TIME$/, "TIME WITHOUT TIME ZONE"],
  [/^TIMESTAMP\(6\)/, "TIMESTAMP"],
  [/^TIME\(6\)/, "TIME"],
  [/^VARBIT/, "BIT VARYING"],
  [/^NUMERIC\((\d+),0\)$/, "NUMERIC($1)"],
];

const MYSQL_SYNONYMS: [RegExp, string][] = [
  [/ (?:CHARACTER SET|CHARSET) \S+/g, ""],
  [/ COLLATE \S+/g, ""],
  [/^INT(?=\(|$| )/, "INTEGER"],
  [/^(INTEGER|BIGINT|SMALLINT|MEDIUMINT)\(\d+\)/, "$1"],
  [/^(?:BOOL|BOOLEAN|TINYINT\(1\))$/, "BOOL"],
  [/^TINYINT\(\d+\)/, "TINYINT"],
  [/^DECIMAL/, "NUMERIC"],
  [/^NUMERIC$/, "NUMERIC(10,0)"],
  [/^NUMERIC\((\d+)\)$/, "NUMERIC($1,0)"],
  [/^(?:DOUBLE PRECISION|REAL)$/, "DOUBLE"],
  [/^LONGTEXT$/, "JSON"],
  [/^CHARACTER VARYING/, "VARCHAR"],
  [/^CHARACTER(?=\(|$)/, "CHAR"],
];

const SQLITE_SYNONYMS: [RegExp, string][] = [
  [/^INT$/, "INTEGER"],
  [/^BOOL$/, "BOOLEAN"],
  [/^DECIMAL/, "NUMERIC"],
  [/^CHARACTER VARYING/, "VARCHAR"],
];

const typeSqlCache = new Map<string, string>();

/** A type's DDL text normalised: upper case, single spaces, no blanks around commas and parentheses. */
export function normalizeTypeSql(dialect: DialectName, sql: string): string {
  const key = `${dialect}\0${sql}`;
  let out = typeSqlCache.get(key);
  if (out === undefined) {
    out = normalizeTypeSqlUncached(dialect, sql);
    if (typeSqlCache.size > 10000) typeSqlCache.clear();
    typeSqlCache.set(key, out);
  }
  return out;
}

function normalizeTypeSqlUncached(dialect: DialectName, sql: string): string {
  let s = "";
  for (const [text, quoted] of splitStrings(sql.trim())) {
    s += quoted
      ? text
      : text.toUpperCase().replace(/\s+/g, " ").replace(/\s*,\s*/g, ",").replace(/\s*\(\s*/g, "(").replace(/\s*\)/g, ")");
  }
  s = s.replace(/^"([^"]+)"$/, "$1").replace(/ UNSIGNED$/, " UNSIGNED");
  const rules = dialect === "postgresql" ? PG_SYNONYMS : dialect === "mysql" ? MYSQL_SYNONYMS : SQLITE_SYNONYMS;
  for (const [re, to] of rules) s = s.replace(re, to);
  if (dialect === "postgresql") {
    // FLOAT(n): n <= 24 is REAL, otherwise DOUBLE PRECISION (= FLOAT)
    const f = /^FLOAT\((\d+)\)$/.exec(s);
    if (f) s = Number(f[1]) <= 24 ? "REAL" : "FLOAT";
  }
  return s;
}

/**
 * A comparison key for a column type on a dialect: the DDL the dialect's compiler emits for it,
 * normalised. PostgreSQL enums compare by name (their values are compared as types of their own).
 */
export function typeKey(dialect: DialectName, t: SqlType): string {
  if (t.kind === "enum") {
    if (dialect === "postgresql") return `ENUM:${t.name}`;
    if (dialect === "mysql") return `ENUM(${t.values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",")})`;
  }
  let sql: string;
  try {
    sql = getCompiler(dialect).renderType(t);
  } catch {
    sql = t.kind === "string" ? "VARCHAR" : t.kind.toUpperCase();
  }
  return normalizeTypeSql(dialect, sql);
}

/** A readable rendering of a type for messages: `VARCHAR(50)`. */
export function typeLabel(dialect: DialectName, t: SqlType): string {
  if (t.kind === "enum") return `ENUM ${t.name}(${t.values.join(", ")})`;
  try {
    return getCompiler(dialect).renderType(t);
  } catch {
    return t.kind;
  }
}

// ---------------------------------------------------------------------------------------- defaults

const NOW_FORMS = /^(?:now\(\)|current_timestamp(?:\(\d*\))?|transaction_timestamp\(\)|localtimestamp(?:\(\d*\))?|datetime\('now'\)|curtime\(\)|now\(\d+\))$/;
const TRUE_FORMS = new Set(["true", "1", "'1'", "'t'", "'true'", "'y'", "'yes'", "'on'", "b'1'"]);
const FALSE_FORMS = new Set(["false", "0", "'0'", "'f'", "'false'", "'n'", "'no'", "'off'", "b'0'"]);

function isNumericType(t: SqlType | undefined): boolean {
  return t !== undefined && ["integer", "bigInteger", "smallInteger", "numeric", "float"].includes(t.kind);
}

/** The unquoted content of a `'...'` literal, or null. */
function unquote(s: string): string | null {
  if (s.length >= 2 && s.startsWith("'") && s.endsWith("'")) {
    const inner = s.slice(1, -1);
    // the whole thing must be one literal
    if (/(^|[^'])'(?!')/.test(inner.replace(/''/g, ""))) return null;
    return inner.replace(/''/g, "'").replace(/\\'/g, "'");
  }
  return null;
}

/** A server default as SQL text on a dialect (null: none). */
export function renderDefault(dialect: DialectName, d: ServerDefault | null | undefined): string | null {
  if (d === null || d === undefined) return null;
  if (isSqlExpression(d)) return d.sql;
  return getCompiler(dialect).renderServerDefault(d);
}

/**
 * A comparison key for a server default: rendered, stripped of casts and outer parentheses,
 * lower-cased outside literals; the spellings of "now" unified; booleans and numbers compared as
 * values for boolean and numeric columns; a NULL default is no default.
 */
export function defaultKey(dialect: DialectName, d: ServerDefault | null | undefined, type?: SqlType): string | null {
  const rendered = renderDefault(dialect, d);
  if (rendered === null) return null;
  let s = stripOuterParens(rendered);
  // strip PostgreSQL casts outside literals, then parentheses again ('x'::text, (0)::numeric)
  s = splitStrings(s).map(([text, quoted]) => (quoted ? text : text.replace(PG_CAST, ""))).join("");
  s = stripOuterParens(s);
  // lower case and no blanks outside literals, except between two words (`interval '1 day'` stays apart)
  s = splitStrings(s)
    .map(([text, quoted]) => (quoted ? text : text.replace(/\s+/g, " ").replace(/ ?([^\w\s]) ?/g, "$1").toLowerCase()))
    .join("")
    .trim();
  if (s === "null" || s === "") return null;
  const compact = s.replace(/\s+/g, "");
  if (NOW_FORMS.test(compact)) return "<now>";
  if (compact === "current_date" || compact === "curdate()") return "<current_date>";
  if (type?.kind === "boolean") {
    if (TRUE_FORMS.has(compact)) return "<true>";
    if (FALSE_FORMS.has(compact)) return "<false>";
  }
  const literal = unquote(s);
  if (isNumericType(type) || (type === undefined)) {
    const candidate = literal ?? s;
    if (/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i.test(candidate.trim())) {
      const n = Number(candidate);
      if (Number.isFinite(n)) return `<num:${n}>`;
    }
  }
  if (literal !== null) return `<str:${literal}>`;
  // MySQL reports some literal defaults without quotes (e.g. for VARCHAR columns on MySQL 8)
  if (dialect === "mysql" && type !== undefined && ["string", "text", "enum", "uuid"].includes(type.kind) && !/[()]/.test(s)) {
    return `<str:${rendered}>`;
  }
  return s;
}
