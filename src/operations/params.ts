import { scanSql } from "../dialects/compile-sql.js";
import type { DialectName, Statement } from "../dialects/types.js";

export type ExecuteParams = Readonly<Record<string, unknown>> | readonly unknown[];

/**
 * Convert user placeholders to the dialect's style:
 * - with an object: `:name` placeholders (`::type` casts and `:` inside literals, quoted identifiers and
 *   comments are not placeholders; `\:` is a literal colon);
 * - with an array: `?` placeholders (`\?` is a literal question mark, e.g. PostgreSQL's jsonb `?` operator);
 *   on PostgreSQL SQL already written with `$1, $2, ...` (and no `?`) is passed through.
 * PostgreSQL gets `$1, $2, ...` (a repeated name reuses its number), MySQL/SQLite get `?`.
 * Without params the SQL is passed through untouched.
 */
export function convertParams(sql: string, params: ExecuteParams | null | undefined, dialect: DialectName): Statement {
  if (params === undefined || params === null) return { sql };
  const segments = scanSql(sql, dialect);
  const outParams: unknown[] = [];
  const pgNumbers = new Map<string, number>();
  let text = "";
  if (Array.isArray(params)) {
    const list = params as readonly unknown[];
    let count = 0;
    let sawQuestion = false;
    for (const seg of segments) {
      if (seg.kind !== "code") { text += seg.text; continue; }
      text += seg.text.replace(/\\\?|\?/g, (m) => {
        if (m === "\\?") return "?";
        sawQuestion = true;
        if (count >= list.length) throw new Error(`op.execute: more ? placeholders than parameters (${list.length} given)`);
        outParams.push(list[count]);
        count++;
        return dialect === "postgresql" ? `$${count}` : "?";
      });
    }
    if (!sawQuestion && dialect === "postgresql" && /\$\d/.test(sql)) return { sql, params: [...list] };
    if (count !== list.length) throw new Error(`op.execute: ${list.length} parameter(s) given but the SQL has ${count} ? placeholder(s)`);
    return { sql: text, params: outParams };
  }
  if (typeof params !== "object") throw new TypeError("op.execute params must be an object (for :name) or an array (for ?)");
  const named = params as Readonly<Record<string, unknown>>;
  for (const seg of segments) {
    if (seg.kind !== "code") { text += seg.text; continue; }
    text += seg.text.replace(/\\:|::+|:([A-Za-z_][A-Za-z0-9_]*)/g, (m, name: string | undefined) => {
      if (m === "\\:") return ":";
      if (name === undefined) return m; // a `::` cast
      if (!Object.prototype.hasOwnProperty.call(named, name)) {
        throw new Error(`op.execute: no value given for parameter :${name}`);
      }
      if (dialect === "postgresql") {
        let k = pgNumbers.get(name);
        if (k === undefined) {
          outParams.push(named[name]);
          k = outParams.length;
          pgNumbers.set(name, k);
        }
        return `$${k}`;
      }
      outParams.push(named[name]);
      return "?";
    });
  }
  return { sql: text, params: outParams };
}
