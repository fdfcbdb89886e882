/**
 * The zero-downtime rules, as data: each rule names what it catches, on which dialects, why it breaks
 * a rolling deploy, and the safe alternative; `check` looks at one action in its context and returns
 * the specific message (or null). `docs/lint-rules.md` is generated from this array (see docs.ts).
 */
import type { DialectName } from "../dialects/types.js";
import type { Action, TypeInfo } from "./actions.js";
import { VOLATILE_FUNCTIONS } from "./sql.js";

export type Severity = "error" | "warning" | "info";

/** What goes wrong when the statement runs while the previous version of the application is live. */
export type Breakage = "old code fails" | "table locked" | "table rewritten" | "data lost" | "migration fails" | "linter blind";

export interface RuleContext {
  readonly dialect: DialectName;
  readonly action: Action;
  /** The table was created earlier in this revision (or earlier in the range applied together): no rows, no old readers. */
  isNewTable(table: string): boolean;
  /** The statement runs in `op.autocommitBlock` (outside the revision's transaction). */
  readonly inAutocommit: boolean;
  /** A lock timeout is in force: `export const lockTimeout`, or an earlier `SET lock_timeout` in this revision. */
  readonly hasLockTimeout: boolean;
  /** `table.column` pairs with a validated `CHECK (column IS NOT NULL)` (from this or earlier revisions). */
  readonly validatedNotNull: ReadonlySet<string>;
  /** The constraint was added NOT VALID in the same transaction as this statement. */
  addedNotValidInSameTransaction(name: string): boolean;
}

export interface LintRule {
  readonly id: string;
  readonly severity: Severity;
  readonly dialects: readonly DialectName[];
  /** One line: what the rule catches. */
  readonly summary: string;
  /** Why it breaks a zero-downtime deploy. */
  readonly why: string;
  readonly breaks: readonly Breakage[];
  /** The safe alternative, in one paragraph. */
  readonly safe: string;
  /** Example revision code that triggers the rule, and its safe version (for the docs). */
  readonly bad: string;
  readonly good: string;
  /** Reported at most once per revision. */
  readonly oncePerRevision?: boolean;
  check(ctx: RuleContext): string | null;
}

const ALL: readonly DialectName[] = ["postgresql", "mysql", "sqlite"];
const PG: readonly DialectName[] = ["postgresql"];

function col(table: string, column: string): string {
  return `${table}.${column}`;
}

/** Whether changing a column's type rewrites the table and/or can lose data; null when the change is known to be safe. */
export function typeChangeRisk(dialect: DialectName, from: TypeInfo | null, to: TypeInfo): { rewrite: boolean; narrowing: boolean; detail: string } | null {
  if (dialect === "sqlite") return { rewrite: true, narrowing: false, detail: "SQLite rebuilds the whole table (move and copy) to change a column type" };
  if (from === null) {
    return { rewrite: true, narrowing: false, detail: `the previous type is unknown (pass existingType), so athanor cannot tell a safe widening from a rewrite` };
  }
  const same = from.name === to.name && from.length === to.length && from.precision === to.precision && from.scale === to.scale;
  if (same) return null;
  const lengthOf = (t: TypeInfo) => (t.name === "varchar" ? (t.length ?? null) : t.name === "text" ? null : undefined);
  const fl = lengthOf(from);
  const tl = lengthOf(to);
  if (dialect === "mysql") {
    if (from.name === "varchar" && to.name === "varchar" && fl != null && tl != null) {
      if (tl < fl) return { rewrite: true, narrowing: true, detail: `${from.text} -> ${to.text} shortens the column: the table is copied and longer values fail or are cut` };
      // utf8mb4: up to 63 characters fit the 1-byte length prefix; crossing it needs a table copy.
      if ((fl <= 63) === (tl <= 63)) return null;
      return { rewrite: true, narrowing: false, detail: `${from.text} -> ${to.text} crosses the 255-byte length-prefix boundary: MySQL copies the table (ALGORITHM=COPY), blocking writes` };
    }
    return { rewrite: true, narrowing: narrows(from, to), detail: `${from.text} -> ${to.text}: MySQL copies the table (ALGORITHM=COPY), blocking writes for the whole copy` };
  }
  // PostgreSQL
  if (fl !== undefined && tl !== undefined) {
    if (tl === null) return null; // varchar(n) -> text / varchar: binary coercible
    if (fl !== null && tl >= fl) return null; // widening varchar: catalog-only
    return { rewrite: false, narrowing: true, detail: `${from.text} -> ${to.text} narrows the column: every row is checked under ACCESS EXCLUSIVE and longer values make the migration fail` };
  }
  if (from.name === "numeric" && to.name === "numeric") {
    if (to.precision == null) return null;
    if (from.precision != null && to.precision >= from.precision && to.scale === from.scale) return null;
    return { rewrite: true, narrowing: narrows(from, to), detail: `${from.text} -> ${to.text} rewrites the table under ACCESS EXCLUSIVE` };
  }
  if (from.name === "cidr" && to.name === "inet") return null;
  return { rewrite: true, narrowing: narrows(from, to), detail: `${from.text} -> ${to.text} is not binary coercible: PostgreSQL rewrites the table (and its indexes) under ACCESS EXCLUSIVE` };
}

function narrows(from: TypeInfo, to: TypeInfo): boolean {
  const ints = ["int2", "int4", "int8"];
  if (ints.includes(from.name) && ints.includes(to.name)) return ints.indexOf(to.name) < ints.indexOf(from.name);
  if (from.name === "varchar" && to.name === "varchar") return (to.length ?? Infinity) < (from.length ?? Infinity);
  if (from.name === "numeric" && to.name === "numeric") {
    return (to.precision ?? Infinity) < (from.precision ?? Infinity) || (to.scale ?? Infinity) < (from.scale ?? Infinity);
  }
  if (from.name === "text" && to.name === "varchar") return to.length != null;
  if (from.name === "float8" && ints.includes(to.name)) return true;
  return false;
}

function volatileIn(sql: string): string | null {
  const re = /([A-Za-z_][A-Za-z0-9_]*)\s*\(/g;
  for (let m = re.exec(sql); m; m = re.exec(sql)) {
    if (VOLATILE_FUNCTIONS.has(m[1]!.toLowerCase())) return m[1]!;
  }
  return null;
}

/** Statements that take a table lock worth bounding with a lock timeout (not on new tables). */
function lockTakingTable(a: Action): string | null {
  switch (a.kind) {
    case "addColumn": case "dropColumn": case "renameColumn": case "alterType": case "setNotNull":
    case "addConstraint": case "validateConstraint": case "otherDdl": case "dropTable":
      return a.table;
    case "renameTable":
      return a.table;
    case "createIndex":
      return a.concurrently ? null : a.table;
    case "dropIndex":
      return a.concurrently ? null : (a.table ?? "?");
    default:
      return null;
  }
}

export const RULES: readonly LintRule[] = [
  {
    id: "adding-required-column",
    severity: "error",
    dialects: ALL,
    summary: "A NOT NULL column is added to an existing table without a server default.",
    why:
      "The application version still running during the deploy does not know the column: its INSERTs omit it and fail " +
      "with a NOT NULL violation (and on a non-empty table the ALTER itself fails: existing rows would be NULL).",
    breaks: ["old code fails", "migration fails"],
    safe:
      "Add the column nullable (or with a constant server default), deploy code that writes it, backfill existing rows " +
      "with `op.backfill`, then enforce NOT NULL in a later revision (PostgreSQL: CHECK ... NOT VALID, VALIDATE, SET NOT NULL).",
    bad: `await op.addColumn("users", sa.column("last_login", sa.dateTime(), { nullable: false }));`,
    good: `await op.addColumn("users", sa.column("last_login", sa.dateTime(), { nullable: true }));`,
    check: ({ action: a, isNewTable }) =>
      a.kind === "addColumn" && !a.nullable && a.defaultSql === null && !a.computed && !isNewTable(a.table)
        ? `${col(a.table, a.column)} is added NOT NULL without a server default`
        : null,
  },
  {
    id: "drop-column",
    severity: "error",
    dialects: ALL,
    summary: "A column is dropped.",
    why:
      "The running application still selects and inserts the column (ORMs list every mapped column), so its queries fail " +
      "the moment the column is gone; the column's data is lost and a downgrade cannot bring it back.",
    breaks: ["old code fails", "data lost"],
    safe:
      "Contract in two deploys: first ship code that no longer reads or writes the column (ignore it in the ORM), then drop it " +
      "in a later revision, marked with `export const lintAllow = { \"drop-column\": \"contract phase: no code uses users.x since v42\" }`.",
    bad: `await op.dropColumn("users", "username");`,
    good: `// after every running version stopped using it:\nexport const lintAllow = { "drop-column": "contract: username unused since release 42" };\n...\nawait op.dropColumn("users", "username");`,
    check: ({ action: a, isNewTable }) => (a.kind === "dropColumn" && !isNewTable(a.table) ? `column ${col(a.table, a.column)} is dropped` : null),
  },
  {
    id: "drop-table",
    severity: "error",
    dialects: ALL,
    summary: "A table is dropped.",
    why: "Code still running reads and writes the table and fails; its data is lost and a downgrade cannot bring it back.",
    breaks: ["old code fails", "data lost"],
    safe: "Stop using the table in one deploy, back it up, then drop it in a later revision with a `lintAllow` reason.",
    bad: `await op.dropTable("legacy_sessions");`,
    good: `export const lintAllow = { "drop-table": "unused since release 40, archived to s3://backups/legacy_sessions" };\n...\nawait op.dropTable("legacy_sessions");`,
    check: ({ action: a, isNewTable }) => (a.kind === "dropTable" && !isNewTable(a.table) ? `table ${a.table} is dropped` : null),
  },
  {
    id: "rename-column",
    severity: "error",
    dialects: ALL,
    summary: "A column is renamed.",
    why: "The running application still uses the old name: every query naming it fails as soon as the rename commits.",
    breaks: ["old code fails"],
    safe:
      "Expand/contract: `athanor revision --expand-contract rename-column TABLE OLD NEW --type ...` writes the three revisions " +
      "(add the new column kept in sync by a trigger, backfill, then drop the old one once no code uses it).",
    bad: `await op.alterColumn("users", "username", { newName: "login" });`,
    good: `// athanor revision --expand-contract rename-column users username login --type "sa.string(50)"`,
    check: ({ action: a, isNewTable }) =>
      a.kind === "renameColumn" && !isNewTable(a.table) ? `column ${col(a.table, a.column)} is renamed to ${a.newName}` : null,
  },
  {
    id: "rename-table",
    severity: "error",
    dialects: ALL,
    summary: "A table is renamed.",
    why: "The running application still uses the old name: every query on the table fails as soon as the rename commits.",
    breaks: ["old code fails"],
    safe:
      "Create the new name as a view of the old table (PostgreSQL, MySQL: simple views are updatable), deploy code using the new name, " +
      "then in one short transaction drop the view and rename the table.",
    bad: `await op.renameTable("users", "accounts");`,
    good: `await op.execute("CREATE VIEW accounts AS SELECT * FROM users");\n// next deploy, once all code uses accounts:\n// DROP VIEW accounts; ALTER TABLE users RENAME TO accounts (with lintAllow)`,
    check: ({ action: a, isNewTable }) => (a.kind === "renameTable" && !isNewTable(a.table) ? `table ${a.table} is renamed to ${a.newName}` : null),
  },
  {
    id: "change-column-type",
    severity: "error",
    dialects: ALL,
    summary: "A column's type changes in a way that rewrites the table or narrows the column.",
    why:
      "A type change that is not binary coercible rewrites the whole table (and its indexes) while holding a lock that blocks " +
      "reads and writes (PostgreSQL ACCESS EXCLUSIVE; MySQL copies the table and blocks writes; SQLite rebuilds it); a narrowing " +
      "change fails on (or truncates) existing values and breaks old code writing wide values.",
    breaks: ["table locked", "table rewritten", "data lost"],
    safe:
      "Widen safely where the database allows it in place (varchar(n) -> varchar(m > n) or text, numeric precision up with the same scale); " +
      "otherwise add a new column of the new type, keep it in sync, backfill, switch the code, drop the old one (expand/contract). " +
      "Pass `existingType` so athanor can recognise safe widenings.",
    bad: `await op.alterColumn("orders", "total_amount", { type: sa.float(), existingType: sa.numeric(10, 2) });`,
    good: `await op.alterColumn("users", "email", { type: sa.string(320), existingType: sa.string(255) });`,
    check: ({ action: a, dialect, isNewTable }) => {
      if (a.kind !== "alterType" || isNewTable(a.table)) return null;
      const risk = typeChangeRisk(dialect, a.from, a.to);
      if (!risk) return null;
      return `${col(a.table, a.column)} changes type: ${risk.detail}`;
    },
  },
  {
    id: "require-concurrent-index",
    severity: "error",
    dialects: PG,
    summary: "An index is created on an existing table without CONCURRENTLY (PostgreSQL).",
    why: "CREATE INDEX holds a SHARE lock for the whole build: every INSERT, UPDATE and DELETE on the table waits until the index is built.",
    breaks: ["table locked"],
    safe:
      "Build it with `concurrently: true` inside `op.autocommitBlock(...)` (CONCURRENTLY cannot run in a transaction); " +
      "add `ifNotExists: true` so a retried deploy does not fail, and drop an INVALID leftover index before retrying.",
    bad: `await op.createIndex("ix_users_email", "users", ["email"]);`,
    good: `await op.autocommitBlock(async () => {\n  await op.createIndex("ix_users_email", "users", ["email"], { concurrently: true, ifNotExists: true });\n});`,
    check: ({ action: a, isNewTable }) =>
      a.kind === "createIndex" && !a.concurrently && !isNewTable(a.table)
        ? `index ${a.name} is built on ${a.table} without CONCURRENTLY: writes to ${a.table} are blocked during the build`
        : null,
  },
  {
    id: "concurrent-index-in-transaction",
    severity: "error",
    dialects: PG,
    summary: "CREATE/DROP INDEX CONCURRENTLY runs inside the revision's transaction (PostgreSQL).",
    why: "PostgreSQL refuses CONCURRENTLY inside a transaction block: the migration fails (and the deploy with it).",
    breaks: ["migration fails"],
    safe: "Run it inside `op.autocommitBlock(async () => { ... })`, which commits the revision's transaction first.",
    bad: `await op.createIndex("ix_users_email", "users", ["email"], { concurrently: true });`,
    good: `await op.autocommitBlock(() => op.createIndex("ix_users_email", "users", ["email"], { concurrently: true }));`,
    check: ({ action: a, inAutocommit }) =>
      (a.kind === "createIndex" || a.kind === "dropIndex") && a.concurrently && !inAutocommit
        ? `index ${a.name} uses CONCURRENTLY inside the revision's transaction`
        : null,
  },
  {
    id: "drop-index-non-concurrently",
    severity: "warning",
    dialects: PG,
    summary: "An index is dropped without CONCURRENTLY (PostgreSQL).",
    why: "DROP INDEX takes an ACCESS EXCLUSIVE lock on the table: reads and writes wait, and wait behind any long query.",
    breaks: ["table locked"],
    safe: "Drop it with `concurrently: true` inside `op.autocommitBlock(...)`.",
    bad: `await op.dropIndex("ix_users_email", { table: "users" });`,
    good: `await op.autocommitBlock(() => op.dropIndex("ix_users_email", { table: "users", concurrently: true, ifExists: true }));`,
    check: ({ action: a, isNewTable }) =>
      a.kind === "dropIndex" && !a.concurrently && !(a.table && isNewTable(a.table)) ? `index ${a.name} is dropped without CONCURRENTLY` : null,
  },
  {
    id: "unique-constraint-without-index",
    severity: "error",
    dialects: PG,
    summary: "A UNIQUE or PRIMARY KEY constraint is added to an existing table without a prior concurrent index (PostgreSQL).",
    why: "Adding the constraint builds its unique index while holding ACCESS EXCLUSIVE: the table is unreadable and unwritable for the whole build.",
    breaks: ["table locked"],
    safe:
      "Build the unique index first with `CREATE UNIQUE INDEX CONCURRENTLY` (in `op.autocommitBlock`), then attach it: " +
      "`ALTER TABLE t ADD CONSTRAINT c UNIQUE USING INDEX ix` (instant).",
    bad: `await op.createUniqueConstraint("uq_users_email", "users", ["email"]);`,
    good:
      `await op.autocommitBlock(() => op.createIndex("uq_users_email", "users", ["email"], { unique: true, concurrently: true }));\n` +
      `await op.execute("ALTER TABLE users ADD CONSTRAINT uq_users_email UNIQUE USING INDEX uq_users_email");`,
    check: ({ action: a, isNewTable }) =>
      a.kind === "addConstraint" && (a.type === "unique" || a.type === "primary") && a.usingIndex === null && !isNewTable(a.table)
        ? `${a.type === "unique" ? "unique" : "primary key"} constraint ${a.name ?? "(unnamed)"} on ${a.table} builds its index under ACCESS EXCLUSIVE`
        : null,
  },
  {
    id: "constraint-missing-not-valid",
    severity: "error",
    dialects: PG,
    summary: "A foreign key or check constraint is added to an existing table without NOT VALID (PostgreSQL).",
    why:
      "Adding a validated constraint scans the whole table while holding a lock that blocks writes (a foreign key also locks the " +
      "referenced table): on a large table that is minutes of failed or queued requests.",
    breaks: ["table locked"],
    safe:
      "Add it `NOT VALID` (only new rows are checked, the lock is brief), then `VALIDATE CONSTRAINT` in a later revision or an " +
      "autocommit block: validation takes only SHARE UPDATE EXCLUSIVE, which lets reads and writes through.",
    bad: `await op.createForeignKey("fk_orders_user", "orders", "users", ["user_id"], ["id"]);`,
    good:
      `await op.execute("ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID");\n` +
      `// next revision:\nawait op.execute("ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_user");`,
    check: ({ action: a, isNewTable }) =>
      a.kind === "addConstraint" && (a.type === "foreignkey" || a.type === "check") && !a.notValid && !isNewTable(a.table)
        ? `${a.type === "check" ? "check" : "foreign key"} constraint ${a.name ?? "(unnamed)"} on ${a.table} is validated while writes are blocked`
        : null,
  },
  {
    id: "validate-in-same-transaction",
    severity: "warning",
    dialects: PG,
    summary: "A constraint is added NOT VALID and validated in the same transaction (PostgreSQL).",
    why: "The lock taken by ADD CONSTRAINT is held until the transaction ends, so validating in the same transaction keeps writes blocked for the whole scan: NOT VALID gains nothing.",
    breaks: ["table locked"],
    safe: "Validate in the next revision, or inside `op.autocommitBlock(...)` after the NOT VALID constraint was committed.",
    bad:
      `await op.execute("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID");\n` +
      `await op.execute("ALTER TABLE orders VALIDATE CONSTRAINT fk");`,
    good:
      `await op.execute("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID");\n` +
      `await op.autocommitBlock(() => op.execute("ALTER TABLE orders VALIDATE CONSTRAINT fk"));`,
    check: ({ action: a, addedNotValidInSameTransaction }) =>
      a.kind === "validateConstraint" && addedNotValidInSameTransaction(a.name)
        ? `constraint ${a.name} is validated in the transaction that added it`
        : null,
  },
  {
    id: "set-not-null-without-check",
    severity: "error",
    dialects: PG,
    summary: "NOT NULL is set on an existing column without a validated CHECK (column IS NOT NULL) (PostgreSQL).",
    why:
      "SET NOT NULL scans the whole table under ACCESS EXCLUSIVE (no reads, no writes) to prove there is no NULL; old code still " +
      "inserting NULLs fails afterwards.",
    breaks: ["table locked", "old code fails"],
    safe:
      "Add `CHECK (col IS NOT NULL) NOT VALID`, backfill, `VALIDATE CONSTRAINT` (in another transaction), then SET NOT NULL " +
      "(PostgreSQL 12+ uses the validated check and skips the scan) and drop the check.",
    bad: `await op.alterColumn("users", "last_login", { nullable: false });`,
    good:
      `await op.execute("ALTER TABLE users ADD CONSTRAINT ck_last_login_nn CHECK (last_login IS NOT NULL) NOT VALID");\n` +
      `await op.autocommitBlock(() => op.execute("ALTER TABLE users VALIDATE CONSTRAINT ck_last_login_nn"));\n` +
      `await op.alterColumn("users", "last_login", { nullable: false });\n` +
      `await op.dropConstraint("ck_last_login_nn", "users", { type: "check" });`,
    check: ({ action: a, isNewTable, validatedNotNull }) =>
      a.kind === "setNotNull" && !isNewTable(a.table) && !validatedNotNull.has(col(a.table, a.column))
        ? `NOT NULL is set on ${col(a.table, a.column)} without a validated CHECK (${a.column} IS NOT NULL): full scan under ACCESS EXCLUSIVE`
        : null,
  },
  {
    id: "volatile-default",
    severity: "error",
    dialects: ["postgresql", "mysql"],
    summary: "A column is added to an existing table with a volatile (per-row) server default, or as serial/generated.",
    why:
      "A default that differs per row (random(), gen_random_uuid(), clock_timestamp(), nextval/serial, stored generated columns; on " +
      "MySQL any expression default) is computed for every existing row: the table is rewritten while the lock blocks reads and writes.",
    breaks: ["table rewritten", "table locked"],
    safe:
      "Add the column without a default (or with a constant one), then `ALTER COLUMN ... SET DEFAULT` (affects new rows only), " +
      "and fill existing rows with `op.backfill`.",
    bad: `await op.addColumn("users", sa.column("token", sa.uuid(), { serverDefault: sa.sql("gen_random_uuid()") }));`,
    good:
      `await op.addColumn("users", sa.column("token", sa.uuid()));\n` +
      `await op.alterColumn("users", "token", { serverDefault: sa.sql("gen_random_uuid()") });\n` +
      `await op.backfill("users", { set: { token: "gen_random_uuid()" }, where: "token IS NULL" });`,
    check: ({ action: a, dialect, isNewTable }) => {
      if (a.kind !== "addColumn" || isNewTable(a.table)) return null;
      if (a.computed) return `${col(a.table, a.column)} is added with a value computed for every row (${a.defaultSql ?? "serial/generated"})`;
      if (a.defaultSql === null || !a.defaultIsExpression) return null;
      const fn = volatileIn(a.defaultSql);
      if (fn) return `${col(a.table, a.column)} is added with the volatile default ${fn}(): the table is rewritten`;
      if (dialect === "mysql" && !/^\s*\(?\s*(current_timestamp|now)\s*(\(\s*\d*\s*\))?\s*\)?\s*$/i.test(a.defaultSql)) {
        return `${col(a.table, a.column)} is added with the expression default ${a.defaultSql}: MySQL copies the table`;
      }
      return null;
    },
  },
  {
    id: "whole-table-dml",
    severity: "warning",
    dialects: ALL,
    summary: "An UPDATE or DELETE touches a whole table in one statement (one transaction).",
    why:
      "One statement over every row locks each row it touches until the revision commits: concurrent writes to those rows wait " +
      "(or time out), the transaction bloats the table and lags replicas.",
    breaks: ["table locked"],
    safe: "Use `op.backfill(table, { set, where, batchSize })`: bounded primary-key batches, each its own short transaction, resumable.",
    bad: `await op.execute("UPDATE users SET last_login = created_at WHERE last_login IS NULL");`,
    good: `await op.backfill("users", { set: { last_login: "created_at" }, where: "last_login IS NULL", batchSize: 5000 });`,
    check: ({ action: a, isNewTable }) =>
      a.kind === "dataChange" && !a.bounded && !isNewTable(a.table)
        ? `${a.verb.toUpperCase()} on ${a.table} has no bounded WHERE clause: it locks every matching row in one transaction`
        : null,
  },
  {
    id: "require-lock-timeout",
    severity: "warning",
    dialects: ["postgresql", "mysql"],
    summary: "A lock-taking statement runs without a lock timeout.",
    why:
      "ALTER TABLE waits for its lock behind any long-running query, and while it waits every other query on the table queues " +
      "behind it: a blocked migration takes the application down with it.",
    breaks: ["table locked"],
    safe:
      "Declare `export const lockTimeout = \"5s\"` in the revision (athanor sets lock_timeout / lock_wait_timeout around its " +
      "statements) and retry the deploy when it times out.",
    bad: `export async function upgrade(op: Op) {\n  await op.addColumn("users", sa.column("nickname", sa.text()));\n}`,
    good: `export const lockTimeout = "5s";\nexport async function upgrade(op: Op) {\n  await op.addColumn("users", sa.column("nickname", sa.text()));\n}`,
    oncePerRevision: true,
    check: ({ action: a, hasLockTimeout, isNewTable }) => {
      if (hasLockTimeout) return null;
      const table = lockTakingTable(a);
      if (table === null || isNewTable(table)) return null;
      return `the revision locks ${table} without a lock timeout (export const lockTimeout = "5s")`;
    },
  },
  {
    id: "unparsed-sql",
    severity: "info",
    dialects: ALL,
    summary: "Raw SQL the linter could not parse.",
    why: "The linter cannot see what an unparsable `op.execute` does, so it cannot vouch for it.",
    breaks: ["linter blind"],
    safe: "Prefer `op.*` operations; otherwise review the statement by hand and suppress with a reason.",
    bad: "await op.execute(\"ALTER TABLE `users` ALGORITHM=INPLACE, ADD COLUMN x int\");",
    good: `await op.addColumn("users", sa.column("x", sa.integer()));`,
    check: ({ action: a }) => (a.kind === "unparsedSql" ? `could not parse SQL (${a.error}): ${a.sql.replace(/\s+/g, " ").slice(0, 80)}` : null),
  },
];

/** Findings the engine itself produces (not about a statement). */
export const META_RULES: readonly Omit<LintRule, "check">[] = [
  {
    id: "suppression-without-reason",
    severity: "error",
    dialects: ALL,
    summary: "A lint suppression without a reason.",
    why: "A suppression records a decision: without the reason, the next reader cannot tell a considered exception from a silenced warning.",
    breaks: [],
    safe: "Write the reason: `// athanor-lint-disable-next-line drop-column -- no code reads it since v42`, or `export const lintAllow = { \"drop-column\": \"...\" }`.",
    bad: `// athanor-lint-disable-next-line drop-column\nawait op.dropColumn("users", "username");`,
    good: `// athanor-lint-disable-next-line drop-column -- contract phase: unused since release 42\nawait op.dropColumn("users", "username");`,
  },
  {
    id: "lint-incomplete",
    severity: "warning",
    dialects: ALL,
    summary: "The revision's upgrade() failed while being analysed.",
    why:
      "The linter runs `upgrade(op)` offline with a recording `op` (no database: `op.query` returns no rows). When it throws, the " +
      "operations after that point were not seen.",
    breaks: ["linter blind"],
    safe: "Make upgrade() tolerate `context.offline` / empty `op.query` results, or review the rest by hand.",
    bad: `const [row] = await op.query("SELECT count(*) AS n FROM users");\nif (row.n > 0) ...`,
    good: `const [row] = await op.query("SELECT count(*) AS n FROM users");\nif (row && row.n > 0) ...`,
  },
];

export function ruleById(id: string): Omit<LintRule, "check"> | undefined {
  return RULES.find((r) => r.id === id) ?? META_RULES.find((r) => r.id === id);
}
