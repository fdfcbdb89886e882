/**
 * expand: add users.display_name, kept in sync with full_name
 *
 * Revision ID: c4e8a1b3d5f7
 * Revises: b7d2e9f4a6c1
 * Create Date: 2026-03-20 09:00:00.000000
 */
import { type Op, sa } from "athanor";

export const revision = "c4e8a1b3d5f7";
export const downRevision: string | string[] | null = "b7d2e9f4a6c1";
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;
/** Give up (and let the deploy retry) rather than queue every query on users behind the ALTER. */
export const lockTimeout = "5s";

// Renaming full_name to display_name without downtime, step 1 of 3 (PostgreSQL).
// The new column is added nullable and every write from now on is copied between the two
// columns by a trigger, so code reading either name sees the same value while both exist.
const SYNC_FUNCTION = `
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
$$`;

const SYNC_TRIGGER =
  "CREATE TRIGGER users_sync_display_name BEFORE INSERT OR UPDATE ON users " +
  "FOR EACH ROW EXECUTE FUNCTION users_sync_display_name()";

export async function upgrade(op: Op): Promise<void> {
  await op.addColumn("users", sa.column("display_name", sa.string(100), { nullable: true }));
  await op.execute(SYNC_FUNCTION);
  await op.execute(SYNC_TRIGGER);
}

export async function downgrade(op: Op): Promise<void> {
  await op.execute("DROP TRIGGER users_sync_display_name ON users");
  await op.execute("DROP FUNCTION users_sync_display_name()");
  // Nothing written only to display_name is lost.
  await op.execute("UPDATE users SET full_name = display_name WHERE full_name IS NULL AND display_name IS NOT NULL");
  await op.dropColumn("users", "display_name");
}
