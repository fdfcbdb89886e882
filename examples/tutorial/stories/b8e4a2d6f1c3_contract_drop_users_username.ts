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
export const lockTimeout = "5s";
export const lintAllow = {
  "drop-column": "contract phase: the code deployed after f2b7d4a8c6e1 writes first_name/last_name and no longer uses username",
};

// Step 3 of 3, once every writer fills first_name/last_name.
// first_name becomes NOT NULL without a full scan under an exclusive lock: a NOT VALID check first,
// validated in its own transaction (it only blocks schema changes), which SET NOT NULL then trusts.
export async function upgrade(op: Op): Promise<void> {
  await op.execute("ALTER TABLE users ADD CONSTRAINT ck_users_first_name_not_null CHECK (first_name IS NOT NULL) NOT VALID");
  await op.autocommitBlock(async () => {
    await op.execute("ALTER TABLE users VALIDATE CONSTRAINT ck_users_first_name_not_null");
  });
  await op.alterColumn("users", "first_name", { nullable: false, existingType: sa.string(50) });
  await op.dropConstraint("ck_users_first_name_not_null", "users", { type: "check" });
  await op.dropColumn("users", "username"); // its unique constraint goes with it
}

export async function downgrade(op: Op): Promise<void> {
  await op.addColumn("users", sa.column("username", sa.string(50), { nullable: true }));
  await op.execute("UPDATE users SET username = first_name || COALESCE('_' || last_name, '')");
  await op.alterColumn("users", "username", { nullable: false, existingType: sa.string(50) });
  // The name PostgreSQL gave the original column-level UNIQUE.
  await op.createUniqueConstraint("users_username_key", "users", ["username"]);
  await op.alterColumn("users", "first_name", { nullable: true, existingType: sa.string(50) });
}
