/**
 * Operations as data: every schema change is a plain, immutable object with a `kind`.
 * The same objects are executed, printed (--sql), reversed, linted and rendered.
 */
import type {
  CheckConstraint, Column, Constraint, ForeignKeyConstraint, IndexElement, PrimaryKeyConstraint,
  ReferentialAction, ServerDefault, SqlType, Table, UniqueConstraint,
} from "../schema/types.js";

export type ConstraintType = "unique" | "foreignkey" | "check" | "primary";

export interface CreateTableOp {
  readonly kind: "createTable";
  readonly table: Table;
}

export interface DropTableOp {
  readonly kind: "dropTable";
  readonly table: string;
  readonly ifExists: boolean;
  /** The table's definition before the drop, when known (makes the op reversible). */
  readonly existing: Table | null;
}

export interface AddColumnOp {
  readonly kind: "addColumn";
  readonly table: string;
  readonly column: Column;
}

export interface DropColumnOp {
  readonly kind: "dropColumn";
  readonly table: string;
  readonly column: string;
  /** The column's definition before the drop, when known (makes the op reversible). */
  readonly existing: Column | null;
}

/**
 * Change a column. For the changing fields `undefined` means "leave as is"; for `serverDefault`
 * and `comment`, `null` means "remove". `existing*` describe the column before the change:
 * MySQL needs them to restate the full definition, and they make the op reversible.
 */
export interface AlterColumnOp {
  readonly kind: "alterColumn";
  readonly table: string;
  readonly column: string;
  readonly newName?: string;
  readonly type?: SqlType;
  readonly nullable?: boolean;
  readonly serverDefault?: ServerDefault | null;
  readonly comment?: string | null;
  /** PostgreSQL `USING` expression for a type change. */
  readonly using?: string;
  readonly existingType?: SqlType;
  readonly existingNullable?: boolean;
  readonly existingServerDefault?: ServerDefault | null;
  readonly existingComment?: string | null;
  /** MySQL: whether the column is AUTO_INCREMENT (kept when the definition is restated). */
  readonly existingAutoincrement?: boolean;
}

export interface RenameTableOp {
  readonly kind: "renameTable";
  readonly table: string;
  readonly newName: string;
}

export interface CreateIndexOp {
  readonly kind: "createIndex";
  readonly name: string;
  readonly table: string;
  readonly columns: readonly IndexElement[];
  readonly unique: boolean;
  readonly where: string | null;
  readonly concurrently: boolean;
  readonly ifNotExists: boolean;
}

export interface DropIndexOp {
  readonly kind: "dropIndex";
  readonly name: string;
  /** Required on MySQL (`DROP INDEX x ON t`) and inside batch. */
  readonly table: string | null;
  readonly concurrently: boolean;
  readonly ifExists: boolean;
  /** The index before the drop, when known (makes the op reversible). */
  readonly existing: { readonly columns: readonly IndexElement[]; readonly unique: boolean; readonly where: string | null } | null;
}

export interface CreateUniqueConstraintOp {
  readonly kind: "createUniqueConstraint";
  readonly name: string | null;
  readonly table: string;
  readonly columns: readonly string[];
}

export interface CreateCheckConstraintOp {
  readonly kind: "createCheckConstraint";
  readonly name: string | null;
  readonly table: string;
  readonly condition: string;
}

export interface CreateForeignKeyOp {
  readonly kind: "createForeignKey";
  readonly name: string | null;
  readonly table: string;
  readonly referentTable: string;
  readonly columns: readonly string[];
  readonly referentColumns: readonly string[];
  readonly onDelete: ReferentialAction | null;
  readonly onUpdate: ReferentialAction | null;
  readonly deferrable: boolean | null;
  readonly initiallyDeferred: boolean | null;
}

export interface CreatePrimaryKeyOp {
  readonly kind: "createPrimaryKey";
  readonly name: string | null;
  readonly table: string;
  readonly columns: readonly string[];
}

export interface DropConstraintOp {
  readonly kind: "dropConstraint";
  readonly name: string;
  readonly table: string;
  /** Required on MySQL. */
  readonly type: ConstraintType | null;
  /** The constraint before the drop, when known (makes the op reversible). */
  readonly existing: Constraint | null;
}

export interface CreateTableCommentOp {
  readonly kind: "createTableComment";
  readonly table: string;
  readonly comment: string;
  /** The previous comment (null: none), when known; undefined: unknown. */
  readonly existingComment?: string | null;
}

export interface DropTableCommentOp {
  readonly kind: "dropTableComment";
  readonly table: string;
  readonly existingComment?: string | null;
}

/**
 * Raw SQL, as the user wrote it: `params` is an object for `:name` placeholders or an array for `?`
 * (converted to the dialect's placeholder style when compiled, see `convertParams`).
 */
export interface ExecuteOp {
  readonly kind: "execute";
  readonly sql: string;
  readonly params: readonly unknown[] | Readonly<Record<string, unknown>> | null;
}

export interface BulkInsertOp {
  readonly kind: "bulkInsert";
  readonly table: string;
  /** Column definitions when a `sa.table(...)` was given (used to adapt values, e.g. JSON, booleans). */
  readonly columns: readonly Column[] | null;
  readonly rows: readonly Readonly<Record<string, unknown>>[];
}

/** PostgreSQL enum type. Compiles to nothing on MySQL/SQLite (enums are inline there). */
export interface CreateEnumOp {
  readonly kind: "createEnum";
  readonly name: string;
  readonly values: readonly string[];
  /** Do nothing if a type of that name exists. */
  readonly ifNotExists: boolean;
}

export interface DropEnumOp {
  readonly kind: "dropEnum";
  readonly name: string;
  readonly ifExists: boolean;
  /** The values, when known (makes the op reversible). */
  readonly values: readonly string[] | null;
}

export type BatchRecreate = "auto" | "always" | "never";

/** Operations allowed inside `op.batchAlterTable` (all on `BatchAlterTableOp.table`). */
export type BatchChildOp =
  | AddColumnOp
  | DropColumnOp
  | AlterColumnOp
  | CreateIndexOp
  | DropIndexOp
  | CreateUniqueConstraintOp
  | CreateCheckConstraintOp
  | CreateForeignKeyOp
  | CreatePrimaryKeyOp
  | DropConstraintOp
  | CreateTableCommentOp
  | DropTableCommentOp;

export interface BatchAlterTableOp {
  readonly kind: "batchAlterTable";
  readonly table: string;
  readonly recreate: BatchRecreate;
  readonly ops: readonly BatchChildOp[];
  /** The table's current definition, for SQLite recreate in --sql mode (no reflection possible). */
  readonly copyFrom: Table | null;
}

export type Operation =
  | CreateTableOp
  | DropTableOp
  | AddColumnOp
  | DropColumnOp
  | AlterColumnOp
  | RenameTableOp
  | CreateIndexOp
  | DropIndexOp
  | CreateUniqueConstraintOp
  | CreateCheckConstraintOp
  | CreateForeignKeyOp
  | CreatePrimaryKeyOp
  | DropConstraintOp
  | CreateTableCommentOp
  | DropTableCommentOp
  | ExecuteOp
  | BulkInsertOp
  | CreateEnumOp
  | DropEnumOp
  | BatchAlterTableOp;

export type OperationKind = Operation["kind"];

export const OPERATION_KINDS: readonly OperationKind[] = Object.freeze([
  "createTable", "dropTable", "addColumn", "dropColumn", "alterColumn", "renameTable", "createIndex",
  "dropIndex", "createUniqueConstraint", "createCheckConstraint", "createForeignKey", "createPrimaryKey",
  "dropConstraint", "createTableComment", "dropTableComment", "execute", "bulkInsert", "createEnum",
  "dropEnum", "batchAlterTable",
] as const);

/** The constraint a create*Constraint op describes, as `sa` data. */
export function constraintOfOp(
  op: CreateUniqueConstraintOp | CreateCheckConstraintOp | CreateForeignKeyOp | CreatePrimaryKeyOp,
): Constraint {
  switch (op.kind) {
    case "createUniqueConstraint":
      return { kind: "unique", name: op.name, columns: op.columns } satisfies UniqueConstraint;
    case "createCheckConstraint":
      return { kind: "check", name: op.name, condition: op.condition } satisfies CheckConstraint;
    case "createPrimaryKey":
      return { kind: "primaryKey", name: op.name, columns: op.columns } satisfies PrimaryKeyConstraint;
    case "createForeignKey":
      return {
        kind: "foreignKey", name: op.name, columns: op.columns, referentTable: op.referentTable,
        referentColumns: op.referentColumns, onDelete: op.onDelete, onUpdate: op.onUpdate,
        deferrable: op.deferrable, initiallyDeferred: op.initiallyDeferred,
      } satisfies ForeignKeyConstraint;
  }
}

/** The create*Constraint op that adds a constraint to a table. */
export function opForConstraint(table: string, c: Constraint):
  CreateUniqueConstraintOp | CreateCheckConstraintOp | CreateForeignKeyOp | CreatePrimaryKeyOp {
  switch (c.kind) {
    case "unique":
      return { kind: "createUniqueConstraint", name: c.name, table, columns: c.columns };
    case "check":
      return { kind: "createCheckConstraint", name: c.name, table, condition: c.condition };
    case "primaryKey":
      return { kind: "createPrimaryKey", name: c.name, table, columns: c.columns };
    case "foreignKey":
      return {
        kind: "createForeignKey", name: c.name, table, referentTable: c.referentTable, columns: c.columns,
        referentColumns: c.referentColumns, onDelete: c.onDelete, onUpdate: c.onUpdate,
        deferrable: c.deferrable, initiallyDeferred: c.initiallyDeferred,
      };
  }
}

export function constraintTypeOf(c: Constraint): ConstraintType {
  switch (c.kind) {
    case "unique": return "unique";
    case "check": return "check";
    case "primaryKey": return "primary";
    case "foreignKey": return "foreignkey";
  }
}
