import type { EnumType, Table } from "./types.js";

/**
 * A whole schema in the `sa` model: what a schema module declares (the target of autogenerate)
 * and what introspection reads from a live database. The comparator diffs two of these.
 */
export interface DatabaseSchema {
  /** Tables sorted by name. */
  readonly tables: readonly Table[];
  /** Named enum types (PostgreSQL). On MySQL/SQLite enums live inline in column types and this is empty. */
  readonly enums: readonly EnumType[];
}
