/**
 * contract: drop users.username
 *
 * Revision ID: b8e4a2d6f1c3
 * Revises: a5c1e7f3b9d2
 * Create Date: 2026-04-09 09:00:00.000000
 */
import { type Op, sa } from "athanor";

export const revision = "b8e4a2d6f1c3";
export const downRevision: string | string[] | null = "a5c1e7f3b9d2";
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

/** How long a statement may wait for a lock on users before the migration gives up (retry the deploy). */
export const lockTimeout = "5s";

export const lintAllow = {
  "drop-column": "contract phase: ships only once no running version reads or writes users.username",
};

// Step 3 of 3. Deploy it only when every instance of the old code (the one writing username) is
// gone: from here on username doesn't exist and first_name is required.

type Dialect = Op["dialect"];

function concat(dialect: Dialect, ...parts: string[]): string {
  return dialect === "mysql" ? `CONCAT(${parts.join(", ")})` : parts.join(" || ");
}

function underscoreIn(dialect: Dialect, s: string): string {
  if (dialect === "postgresql") return `strpos(${s}, '_')`;
  if (dialect === "mysql") return `LOCATE('_', ${s})`;
  return `instr(${s}, '_')`;
}

function dropTrigger(dialect: Dialect): string[] {
  if (dialect === "postgresql") {
    return ["DROP TRIGGER IF EXISTS users_split_username ON users", "DROP FUNCTION IF EXISTS users_split_username()"];
  }
  return ["DROP TRIGGER IF EXISTS users_split_username"];
}

/** The expand step's trigger (revision files stay self-contained: no imports between them). */
function createTrigger(dialect: Dialect): string[] {
  const u = "NEW.username";
  const at = underscoreIn(dialect, u);
  const first = `CASE WHEN ${at} = 0 THEN ${u} ELSE substr(${u}, 1, ${at} - 1) END`;
  const last = `CASE WHEN ${at} = 0 THEN NULL ELSE substr(${u}, ${at} + 1) END`;
  if (dialect === "postgresql") {
    return [
      `CREATE FUNCTION users_split_username() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.first_name IS NULL AND NEW.username IS NOT NULL THEN
    NEW.first_name := ${first};
    NEW.last_name := ${last};
  END IF;
  RETURN NEW;
END
$$`,
      "CREATE TRIGGER users_split_username BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION users_split_username()",
    ];
  }
  if (dialect === "mysql") {
    const missing = "NEW.first_name IS NULL AND NEW.username IS NOT NULL";
    return [
      `CREATE TRIGGER users_split_username BEFORE INSERT ON users FOR EACH ROW SET
  NEW.last_name = IF(${missing}, ${last}, NEW.last_name),
  NEW.first_name = IF(${missing}, ${first}, NEW.first_name)`,
    ];
  }
  return [
    `CREATE TRIGGER users_split_username AFTER INSERT ON users FOR EACH ROW
WHEN NEW.first_name IS NULL AND NEW.username IS NOT NULL
BEGIN
  UPDATE users SET first_name = ${first}, last_name = ${last} WHERE id = NEW.id;
END`,
  ];
}

export async function upgrade(op: Op): Promise<void> {
  if (op.dialect === "postgresql") {
    // SET NOT NULL alone would scan the table under ACCESS EXCLUSIVE (no reads, no writes). Prove it
    // first with a CHECK added NOT VALID (a brief lock) and validated in its own transaction (reads and
    // writes go on); PostgreSQL 12+ then sets NOT NULL without scanning.
    await op.execute("ALTER TABLE users DROP CONSTRAINT IF EXISTS ck_users_first_name_not_null");
    await op.execute("ALTER TABLE users ADD CONSTRAINT ck_users_first_name_not_null CHECK (first_name IS NOT NULL) NOT VALID");
    await op.autocommitBlock(() => op.execute("ALTER TABLE users VALIDATE CONSTRAINT ck_users_first_name_not_null"));
  }
  for (const sql of dropTrigger(op.dialect)) await op.execute(sql);
  await op.batchAlterTable("users", async (batch) => {
    await batch.alterColumn("first_name", { nullable: false, existingType: sa.string(50) });
    await batch.dropColumn("username"); // its unique constraint goes with it
  });
  if (op.dialect === "postgresql") {
    await op.dropConstraint("ck_users_first_name_not_null", "users", { type: "check" });
  }
}

export async function downgrade(op: Op): Promise<void> {
  const d = op.dialect;
  // Back to the expand step's schema: username nullable (the new code doesn't write it), unique.
  await op.addColumn("users", sa.column("username", sa.string(50), { nullable: true }));
  // Exactly the old username for every user that had one (the split is reversible) ...
  const name = concat(d, "first_name", `COALESCE(${concat(d, "'_'", "last_name")}, '')`);
  await op.execute(`UPDATE users SET username = substr(${name}, 1, 50)`);
  // ... and for users created since whose name is already taken, <first>_<last> cut to 38, then _<id>.
  // (The derived table lets MySQL read the table it updates.)
  await op.execute(
    `UPDATE users SET username = ${concat(d, `substr(${name}, 1, 38)`, "'_'", "id")}
     WHERE id IN (SELECT id FROM (SELECT later.id FROM users later JOIN users earlier
                                  ON earlier.username = later.username AND earlier.id < later.id) AS taken)`,
  );
  await op.batchAlterTable("users", async (batch) => {
    // Unnamed, like the original column-level UNIQUE: each database names it as it did then
    // (users_username_key on PostgreSQL, username on MariaDB, unnamed on SQLite).
    await batch.createUniqueConstraint(null, ["username"]);
    await batch.alterColumn("first_name", { nullable: true, existingType: sa.string(50) });
  });
  for (const sql of createTrigger(d)) await op.execute(sql);
}
