/**
 * contract: drop users.full_name
 *
 * Revision ID: e6a3c9d7f2b8
 * Revises: d1f5b8c2e9a4
 * Create Date: 2026-03-27 09:00:00.000000
 */
import { type Op, sa } from "athanor";

export const revision = "e6a3c9d7f2b8";
export const downRevision: string | string[] | null = "d1f5b8c2e9a4";
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;
export const lockTimeout = "5s";
export const lintAllow = {
  "drop-column": "contract phase: the code deployed after c4e8a1b3d5f7 reads and writes display_name only",
};

// Step 3 of 3, once no deployed code reads or writes full_name any more.
export async function upgrade(op: Op): Promise<void> {
  await op.execute("DROP TRIGGER users_sync_display_name ON users");
  await op.execute("DROP FUNCTION users_sync_display_name()");
  await op.dropColumn("users", "full_name");
}

export async function downgrade(op: Op): Promise<void> {
  await op.addColumn("users", sa.column("full_name", sa.string(100), { nullable: true }));
  await op.execute("UPDATE users SET full_name = display_name");
  // The expand step's trigger again (revision files stay self-contained: no imports between them).
  await op.execute(`
CREATE FUNCTION users_sync_display_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.display_name := COALESCE(NEW.display_name, NEW.full_name);
    NEW.full_name := COALESCE(NEW.full_name, NEW.display_name);
  ELSIF NEW.display_name IS DISTINCT FROM OLD.display_name THEN
    NEW.full_name := NEW.display_name;
  ELSIF NEW.full_name IS DISTINCT FROM OLD.full_name THEN
    NEW.display_name := NEW.full_name;
  END IF;
  RETURN NEW;
END
$$`);
  await op.execute(
    "CREATE TRIGGER users_sync_display_name BEFORE INSERT OR UPDATE ON users " +
      "FOR EACH ROW EXECUTE FUNCTION users_sync_display_name()",
  );
}
