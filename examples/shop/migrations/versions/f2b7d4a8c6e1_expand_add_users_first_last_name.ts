/**
 * expand: add users.first_name and users.last_name
 *
 * Revision ID: f2b7d4a8c6e1
 * Revises: 5e2a9d7c3f10
 * Create Date: 2026-04-02 09:00:00.000000
 */
import { type Op, sa } from "athanor";

export const revision = "f2b7d4a8c6e1";
export const downRevision: string | string[] | null = "5e2a9d7c3f10";
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

/** How long a statement may wait for a lock on users before the migration gives up (retry the deploy). */
export const lockTimeout = "5s";

// Splitting username ("alice_smith") into first_name/last_name without downtime, step 1 of 3.
//
// While this revision is applied, two versions of the application run side by side:
// - the old one inserts users with a username only: a trigger fills first_name/last_name from it;
// - the new one writes first_name/last_name only: username becomes nullable.
// Both columns are nullable, so nothing the old code does can fail.
//
// The split is at the FIRST underscore, and exactly reversible (username = first_name || '_' || last_name,
// without the '_' when last_name is NULL):
//   alice_smith -> alice / smith        mary_jane_watson -> mary / jane_watson
//   bob         -> bob   / NULL         bob_ -> bob / ''        _bob -> '' / bob

type Dialect = Op["dialect"];

function underscoreIn(dialect: Dialect, s: string): string {
  if (dialect === "postgresql") return `strpos(${s}, '_')`;
  if (dialect === "mysql") return `LOCATE('_', ${s})`;
  return `instr(${s}, '_')`;
}

function firstPart(dialect: Dialect, s: string): string {
  const at = underscoreIn(dialect, s);
  return `CASE WHEN ${at} = 0 THEN ${s} ELSE substr(${s}, 1, ${at} - 1) END`;
}

function lastPart(dialect: Dialect, s: string): string {
  const at = underscoreIn(dialect, s);
  return `CASE WHEN ${at} = 0 THEN NULL ELSE substr(${s}, ${at} + 1) END`;
}

function concat(dialect: Dialect, ...parts: string[]): string {
  return dialect === "mysql" ? `CONCAT(${parts.join(", ")})` : parts.join(" || ");
}

/** The trigger that keeps the old code's inserts complete (insert only: the old code never renames a user). */
function createTrigger(dialect: Dialect): string[] {
  const u = "NEW.username";
  if (dialect === "postgresql") {
    return [
      `CREATE FUNCTION users_split_username() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.first_name IS NULL AND NEW.username IS NOT NULL THEN
    NEW.first_name := ${firstPart(dialect, u)};
    NEW.last_name := ${lastPart(dialect, u)};
  END IF;
  RETURN NEW;
END
$$`,
      "CREATE TRIGGER users_split_username BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION users_split_username()",
    ];
  }
  if (dialect === "mysql") {
    // One SET statement (no BEGIN ... END, so no DELIMITER in --sql output); last_name first,
    // because the assignments run in order and the condition reads first_name.
    const missing = "NEW.first_name IS NULL AND NEW.username IS NOT NULL";
    return [
      `CREATE TRIGGER users_split_username BEFORE INSERT ON users FOR EACH ROW SET
  NEW.last_name = IF(${missing}, ${lastPart(dialect, u)}, NEW.last_name),
  NEW.first_name = IF(${missing}, ${firstPart(dialect, u)}, NEW.first_name)`,
    ];
  }
  // SQLite: a BEFORE trigger can't change the new row; fill it right after the insert.
  return [
    `CREATE TRIGGER users_split_username AFTER INSERT ON users FOR EACH ROW
WHEN NEW.first_name IS NULL AND NEW.username IS NOT NULL
BEGIN
  UPDATE users SET first_name = ${firstPart(dialect, u)}, last_name = ${lastPart(dialect, u)} WHERE id = NEW.id;
END`,
  ];
}

function dropTrigger(dialect: Dialect): string[] {
  if (dialect === "postgresql") {
    return ["DROP TRIGGER IF EXISTS users_split_username ON users", "DROP FUNCTION IF EXISTS users_split_username()"];
  }
  return ["DROP TRIGGER IF EXISTS users_split_username"];
}

export async function upgrade(op: Op): Promise<void> {
  // One batch: plain ALTERs on PostgreSQL and MySQL, one table rebuild on SQLite.
  await op.batchAlterTable("users", async (batch) => {
    await batch.addColumn(sa.column("first_name", sa.string(50), { nullable: true }));
    await batch.addColumn(sa.column("last_name", sa.string(50), { nullable: true }));
    await batch.alterColumn("username", { nullable: true, existingType: sa.string(50) });
  });
  for (const sql of createTrigger(op.dialect)) await op.execute(sql);
}

export async function downgrade(op: Op): Promise<void> {
  const d = op.dialect;
  for (const sql of dropTrigger(d)) await op.execute(sql);
  // Users created by the new code have no username. Give each one that can't clash with another:
  // <first>_<last> cut to 38 characters, then _<id> (at most 50 characters).
  const name = concat(d, "COALESCE(first_name, 'user')", `COALESCE(${concat(d, "'_'", "last_name")}, '')`);
  await op.execute(`UPDATE users SET username = ${concat(d, `substr(${name}, 1, 38)`, "'_'", "id")} WHERE username IS NULL`);
  await op.batchAlterTable("users", async (batch) => {
    await batch.alterColumn("username", { nullable: false, existingType: sa.string(50) });
    await batch.dropColumn("last_name");
    await batch.dropColumn("first_name");
  });
}
