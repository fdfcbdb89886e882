/**
 * `athanor revision --expand-contract rename-column TABLE OLD NEW --type "sa.string(50)" [--not-null]`
 * `athanor revision --expand-contract split-column TABLE OLD NEW1 NEW2 [NEW3...] --type "sa.string(50)"
 *      [--separator _] [--split-sql EXPR --split-sql EXPR ...] [--combine-sql EXPR] [--not-null]`
 *
 * Writes the three revisions of a zero-downtime column change, chained on the current head:
 *
 * 1. expand: add the new column(s), nullable; on PostgreSQL a BEFORE INSERT OR UPDATE trigger keeps
 *    the old and new columns in sync, so old code (writing the old column) and new code (writing the
 *    new ones) can run side by side.
 * 2. backfill (+ enforce): `op.backfill` fills the new column(s) of existing rows in batches; for a
 *    rename of a NOT NULL column (`--not-null`), NOT NULL is enforced on the new column the safe way
 *    (PostgreSQL: CHECK ... NOT VALID, VALIDATE outside the transaction, SET NOT NULL, drop the check).
 * 3. contract (once no running code uses the old column): drop the trigger and the old column.
 *
 * Every downgrade restores the previous phase: the contract's downgrade re-adds the old column, the
 * trigger, refills it from the new column(s) and restores NOT NULL (`--not-null`).
 *
 * Split: `--split-sql` gives one SQL expression per new column, with `{}` standing for the old column's
 * value; `--combine-sql` the expression rebuilding the old column, with `{col}` for each new column.
 * Defaults split at the first `--separator` (default `_`): `alice_smith` -> `alice`/`smith`,
 * `mary_jane_watson` -> `mary`/`jane_watson`, `bob` (no separator) -> `bob`/NULL; and combine as
 * `first || COALESCE('_' || last, '')`, which rebuilds every original value exactly. With more than two
 * new columns, `--split-sql` and `--combine-sql` are required.
 */
import { createHash } from "node:crypto";
import type { Command } from "commander";
import type { Project } from "./project.js";
import type { RevisionResult } from "./revision.js";

export type ExpandContractSpec =
  | { kind: "rename-column"; table: string; from: string; to: string; type: string; notNull?: boolean }
  | {
      kind: "split-column"; table: string; from: string; to: string[]; type: string; notNull?: boolean;
      separator?: string; splitSql?: string[]; combineSql?: string;
    };

export interface ExpandContractOptions {
  /** Head to build on (default `head`). */
  head?: string;
  /** Lock timeout written into each revision (default "5s"). */
  lockTimeout?: string;
  /** op.backfill batch size (default 1000). */
  batchSize?: number;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class ExpandContractError extends Error {
  override name = "ExpandContractError";
}

function checkIdent(what: string, v: string | undefined): string {
  if (!v || !IDENT.test(v)) throw new ExpandContractError(`${what} must be a plain identifier (letters, digits, _), got ${JSON.stringify(v ?? "")}`);
  return v;
}

function checkType(type: string | undefined): string {
  const t = (type ?? "").trim();
  if (!/^sa\.[A-Za-z]+\(.*\)$/.test(t) || /[;`]/.test(t)) {
    throw new ExpandContractError(`--type must be an sa type expression for the new column(s), e.g. --type "sa.string(50)"; got ${JSON.stringify(type ?? "")}`);
  }
  return t;
}

/** A PostgreSQL identifier of at most 63 bytes. */
function pgName(base: string): string {
  if (base.length <= 63) return base;
  return `${base.slice(0, 50)}_${createHash("sha1").update(base).digest("hex").slice(0, 12)}`;
}

const q = (name: string) => `"${name}"`;
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

function indent(text: string, by: string): string {
  return text.split("\n").map((l) => (l ? by + l : l)).join("\n");
}

/** Expressions for one dialect: split the old value into each new column, and combine them back. */
interface Mapping {
  /** SQL computing new column i from an expression for the old value. */
  split(i: number, old: string): string;
  /** SQL computing the old value from expressions for the new columns. */
  combine(cols: string[]): string;
}

function defaultSplit(dialect: "postgresql" | "mysql" | "sqlite", sep: string): Mapping {
  const s = lit(sep);
  const n = sep.length;
  switch (dialect) {
    case "postgresql":
      return {
        split: (i, x) => (i === 0 ? `split_part(${x}, ${s}, 1)` : `CASE WHEN strpos(${x}, ${s}) = 0 THEN NULL ELSE substr(${x}, strpos(${x}, ${s}) + ${n}) END`),
        combine: ([a, b]) => `${a} || COALESCE(${s} || ${b}, '')`,
      };
    case "mysql":
      return {
        split: (i, x) => (i === 0 ? `SUBSTRING_INDEX(${x}, ${s}, 1)` : `CASE WHEN LOCATE(${s}, ${x}) = 0 THEN NULL ELSE SUBSTRING(${x}, LOCATE(${s}, ${x}) + ${n}) END`),
        combine: ([a, b]) => `CONCAT(${a}, COALESCE(CONCAT(${s}, ${b}), ''))`,
      };
    case "sqlite":
      return {
        split: (i, x) =>
          i === 0
            ? `CASE WHEN instr(${x}, ${s}) = 0 THEN ${x} ELSE substr(${x}, 1, instr(${x}, ${s}) - 1) END`
            : `CASE WHEN instr(${x}, ${s}) = 0 THEN NULL ELSE substr(${x}, instr(${x}, ${s}) + ${n}) END`,
        combine: ([a, b]) => `${a} || COALESCE(${s} || ${b}, '')`,
      };
  }
}

function customMapping(spec: Extract<ExpandContractSpec, { kind: "split-column" }>): Mapping {
  const splits = spec.splitSql!;
  const combine = spec.combineSql!;
  return {
    split: (i, x) => splits[i]!.replaceAll("{}", x),
    combine: (cols) => spec.to.reduce((sql, name, i) => sql.replaceAll(`{${name}}`, cols[i]!), combine),
  };
}

interface Phase {
  message: string;
  imports: string[];
  upgrades: string;
  downgrades: string;
}

/** The TypeScript of the three revisions (without headers). */
export function expandContractPhases(spec: ExpandContractSpec, options: ExpandContractOptions = {}): Phase[] {
  const table = checkIdent("TABLE", spec.table);
  const from = checkIdent("OLD column", spec.from);
  const to = spec.kind === "rename-column" ? [checkIdent("NEW column", spec.to)] : spec.to.map((c) => checkIdent("NEW column", c));
  if (spec.kind === "split-column" && to.length < 2) throw new ExpandContractError("split-column needs at least two new columns");
  if (new Set([from, ...to]).size !== to.length + 1) throw new ExpandContractError("the old and new column names must all differ");
  const type = checkType(spec.type);
  const lockTimeout = options.lockTimeout ?? "5s";
  const batchSize = options.batchSize ?? 1000;
  const notNull = spec.notNull === true;

  let mappings: Record<"postgresql" | "mysql" | "sqlite", Mapping>;
  if (spec.kind === "rename-column") {
    const same: Mapping = { split: (_i, x) => x, combine: ([a]) => a! };
    mappings = { postgresql: same, mysql: same, sqlite: same };
  } else if (spec.splitSql || spec.combineSql) {
    if (!spec.splitSql || spec.splitSql.length !== to.length || !spec.combineSql) {
      throw new ExpandContractError(`--split-sql must be given once per new column (${to.length}) together with --combine-sql`);
    }
    for (const c of to) {
      if (!spec.combineSql.includes(`{${c}}`)) throw new ExpandContractError(`--combine-sql must use {${c}}`);
    }
    const custom = customMapping(spec);
    mappings = { postgresql: custom, mysql: custom, sqlite: custom };
  } else {
    if (to.length !== 2) throw new ExpandContractError("with more than two new columns, give --split-sql (one per column) and --combine-sql");
    const sep = spec.separator ?? "_";
    if (sep === "") throw new ExpandContractError("--separator must not be empty");
    mappings = { postgresql: defaultSplit("postgresql", sep), mysql: defaultSplit("mysql", sep), sqlite: defaultSplit("sqlite", sep) };
  }

  const fn = pgName(`athanor_sync_${table}_${from}`);
  const trigger = pgName(`athanor_sync_${table}_${from}_trg`);
  const pg = mappings.postgresql;
  const NEW = (c: string) => `NEW.${q(c)}`;
  const OLD = (c: string) => `OLD.${q(c)}`;
  const newFromOld = to.map((c, i) => `${NEW(c)} := ${pg.split(i, NEW(from))};`).join("\n");
  const oldFromNew = `${NEW(from)} := ${pg.combine(to.map(NEW))};`;
  const triggerSql = [
    `CREATE OR REPLACE FUNCTION ${q(fn)}() RETURNS trigger LANGUAGE plpgsql AS $$`,
    "BEGIN",
    "  -- Old code writes " + from + ", new code writes " + to.join(", ") + ": copy whichever was written to the other side.",
    "  IF TG_OP = 'INSERT' THEN",
    `    IF ${to.map((c) => `${NEW(c)} IS NULL`).join(" AND ")} THEN`,
    indent(newFromOld, "      "),
    `    ELSIF ${NEW(from)} IS NULL THEN`,
    indent(oldFromNew, "      "),
    "    END IF;",
    `  ELSIF ${NEW(from)} IS DISTINCT FROM ${OLD(from)} THEN`,
    indent(newFromOld, "    "),
    `  ELSIF ${to.map((c) => `${NEW(c)} IS DISTINCT FROM ${OLD(c)}`).join(" OR ")} THEN`,
    indent(oldFromNew, "    "),
    "  END IF;",
    "  RETURN NEW;",
    "END $$",
  ].join("\n");
  const createTrigger = [
    `if (op.dialect === "postgresql") {`,
    `  // Keeps ${table}.${from} and ${to.map((c) => `${table}.${c}`).join(", ")} in sync while old and new code both run.`,
    `  await op.execute(\`${indent(triggerSql, "    ").trimStart()}\`);`,
    `  await op.execute(\`CREATE TRIGGER ${q(trigger)} BEFORE INSERT OR UPDATE ON ${q(table)} FOR EACH ROW EXECUTE FUNCTION ${q(fn)}()\`);`,
    `}`,
  ].join("\n");
  const dropTrigger = [
    `if (op.dialect === "postgresql") {`,
    `  await op.execute(\`DROP TRIGGER IF EXISTS ${q(trigger)} ON ${q(table)}\`);`,
    `  await op.execute(\`DROP FUNCTION IF EXISTS ${q(fn)}()\`);`,
    `}`,
  ].join("\n");

  const perDialect = (f: (m: Mapping) => string) => {
    const [p, m, l] = [f(mappings.postgresql), f(mappings.mysql), f(mappings.sqlite)];
    if (p === m && m === l) return JSON.stringify(p);
    return `{\n      postgresql: ${JSON.stringify(p)},\n      mysql: ${JSON.stringify(m)},\n      sqlite: ${JSON.stringify(l)},\n    }[op.dialect]`;
  };
  const setObject = (entries: [string, string][]) => `{\n${entries.map(([c, v]) => `    ${c}: ${v},`).join("\n")}\n  }`;
  const setNew = setObject(to.map((c, i) => [c, perDialect((m) => m.split(i, from))]));
  const setOld = setObject([[from, perDialect((m) => m.combine(to))]]);

  /** Enforce NOT NULL on an existing column without a long lock (PostgreSQL: validated check first). */
  const enforceNotNull = (c: string) => {
    const ck = pgName(`ck_${table}_${c}_not_null`);
    return [
      `if (op.dialect === "postgresql") {`,
      `  // CHECK ... NOT VALID (instant), VALIDATE outside the transaction (does not block writes),`,
      `  // then SET NOT NULL uses the validated check instead of scanning under ACCESS EXCLUSIVE.`,
      `  await op.execute(\`ALTER TABLE ${q(table)} ADD CONSTRAINT ${q(ck)} CHECK (${q(c)} IS NOT NULL) NOT VALID\`);`,
      `  await op.autocommitBlock(() => op.execute(\`ALTER TABLE ${q(table)} VALIDATE CONSTRAINT ${q(ck)}\`));`,
      `  await op.alterColumn("${table}", "${c}", { nullable: false, existingType: ${type} });`,
      `  await op.dropConstraint("${ck}", "${table}", { type: "check" });`,
      `} else {`,
      `  await op.batchAlterTable("${table}", (batch) => batch.alterColumn("${c}", { nullable: false, existingType: ${type} }));`,
      `}`,
    ].join("\n");
  };
  const relaxNotNull = (c: string) =>
    `await op.batchAlterTable("${table}", (batch) => batch.alterColumn("${c}", { nullable: true, existingType: ${type} }));`;

  const timeout = `export const lockTimeout = ${JSON.stringify(lockTimeout)};`;
  const newList = to.map((c) => `${table}.${c}`).join(", ");
  const what = spec.kind === "rename-column" ? `rename ${table}.${from} to ${to[0]}` : `split ${table}.${from} into ${to.join(", ")}`;

  const expand: Phase = {
    message: `expand: add ${newList} (${what})`,
    imports: [timeout],
    upgrades: [
      `// Phase 1 of 3 (${what}): the new column${to.length > 1 ? "s" : ""}, nullable, so the running code keeps working.`,
      ...to.map((c) => `await op.addColumn("${table}", sa.column("${c}", ${type}, { nullable: true }));`),
      createTrigger,
    ].join("\n"),
    downgrades: [dropTrigger, ...[...to].reverse().map((c) => `await op.dropColumn("${table}", "${c}");`)].join("\n"),
  };

  const whereMissing = to.map((c) => `${c} IS NULL`).join(" AND ");
  const backfill: Phase = {
    message: `backfill ${newList} from ${table}.${from}${notNull && spec.kind === "rename-column" ? " and enforce NOT NULL" : ""}`,
    imports: [timeout],
    upgrades: [
      `// Phase 2 of 3 (${what}): fill existing rows in batches (each its own transaction, resumable);`,
      `// rows written meanwhile are kept in sync by the trigger (PostgreSQL) or by the application.`,
      `await op.backfill("${table}", {`,
      `  set: ${setNew},`,
      `  where: ${JSON.stringify(`${from} IS NOT NULL AND ${whereMissing}`)},`,
      `  batchSize: ${batchSize},`,
      `});`,
      ...(notNull && spec.kind === "rename-column" ? [enforceNotNull(to[0]!)] : []),
    ].join("\n"),
    downgrades:
      notNull && spec.kind === "rename-column"
        ? relaxNotNull(to[0]!)
        : `// Nothing to undo: the backfilled values are consistent with ${table}.${from}; the expand revision's downgrade drops the column${to.length > 1 ? "s" : ""}.`,
  };

  const reason = `expand/contract ${what}: phase 3, deployed once no running code reads or writes ${table}.${from}`;
  const contract: Phase = {
    message: `contract: drop ${table}.${from} (${what})`,
    imports: [timeout, `export const lintAllow = { "drop-column": ${JSON.stringify(reason)} };`],
    upgrades: [
      `// Phase 3 of 3 (${what}): only once every running version uses ${to.join(", ")}.`,
      dropTrigger,
      `// (batchAlterTable: SQLite cannot drop a column with a UNIQUE constraint in place and rebuilds the table)`,
      `await op.batchAlterTable("${table}", (batch) => batch.dropColumn("${from}"));`,
    ].join("\n"),
    downgrades: [
      `// Back to phase 2: the old column, kept in sync again, refilled from the new one${to.length > 1 ? "s" : ""}.`,
      `await op.addColumn("${table}", sa.column("${from}", ${type}, { nullable: true }));`,
      createTrigger,
      `await op.backfill("${table}", {`,
      `  set: ${setOld},`,
      `  where: ${JSON.stringify(`${from} IS NULL`)},`,
      `  batchSize: ${batchSize},`,
      `});`,
      ...(notNull ? [enforceNotNull(from)] : []),
    ].join("\n"),
  };
  return [expand, backfill, contract];
}

/** Write the three revisions, chained on `options.head` (default the current head). */
export async function writeExpandContract(project: Project, spec: ExpandContractSpec, options: ExpandContractOptions = {}): Promise<RevisionResult[]> {
  const phases = expandContractPhases(spec, options);
  const results: RevisionResult[] = [];
  let head = options.head ?? "head";
  for (const phase of phases) {
    const { revision } = await import("./revision.js");
    const r = await revision(project, { message: phase.message, head, imports: phase.imports, upgrades: phase.upgrades, downgrades: phase.downgrades });
    results.push(r);
    head = r.revision;
  }
  return results;
}

/** `--expand-contract KIND TABLE OLD NEW...` plus the other options -> spec. */
export function parseExpandContractArgs(
  args: readonly string[],
  opts: { type?: string; notNull?: boolean; separator?: string; splitSql?: string[]; combineSql?: string },
): ExpandContractSpec {
  const [kind, table, from, ...to] = args;
  if (kind === "rename-column") {
    if (to.length !== 1) throw new ExpandContractError("usage: --expand-contract rename-column TABLE OLD NEW --type \"sa.string(50)\" [--not-null]");
    return { kind, table: table ?? "", from: from ?? "", to: to[0]!, type: opts.type ?? "", notNull: opts.notNull };
  }
  if (kind === "split-column") {
    if (to.length < 2) {
      throw new ExpandContractError("usage: --expand-contract split-column TABLE OLD NEW1 NEW2 [...] --type \"sa.string(50)\" [--separator _] [--split-sql EXPR ... --combine-sql EXPR] [--not-null]");
    }
    return {
      kind, table: table ?? "", from: from ?? "", to, type: opts.type ?? "", notNull: opts.notNull,
      separator: opts.separator, splitSql: opts.splitSql?.length ? opts.splitSql : undefined, combineSql: opts.combineSql,
    };
  }
  throw new ExpandContractError(`--expand-contract: unknown change ${JSON.stringify(kind ?? "")} (expected rename-column or split-column)`);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Add the `--expand-contract` options to the `revision` command. */
export function addExpandContractOptions(cmd: Command): Command {
  return cmd
    .option("--expand-contract <change...>", "write the 3 revisions of a zero-downtime change: rename-column TABLE OLD NEW | split-column TABLE OLD NEW1 NEW2...")
    .option("--type <sa-type>", "--expand-contract: sa type of the new column(s), e.g. \"sa.string(50)\"")
    .option("--not-null", "--expand-contract: the column is NOT NULL (enforced on the renamed column, restored on downgrade)")
    .option("--separator <text>", "--expand-contract split-column: split at the first occurrence (default _)")
    .option("--split-sql <expr>", "--expand-contract split-column: SQL for each new column, {} = the old value (repeatable, in order)", collect, [])
    .option("--combine-sql <expr>", "--expand-contract split-column: SQL rebuilding the old column, {col} = a new column");
}

/**
 * For the `revision` action: when `--expand-contract` was given, write the three revisions and return
 * them; otherwise return null (the normal revision path continues).
 */
export async function expandContractFromOptions(
  project: Project,
  opts: { expandContract?: string[]; type?: string; notNull?: boolean; separator?: string; splitSql?: string[]; combineSql?: string; head?: string },
): Promise<RevisionResult[] | null> {
  if (!opts.expandContract) return null;
  const spec = parseExpandContractArgs(opts.expandContract, opts);
  return writeExpandContract(project, spec, { head: opts.head });
}
