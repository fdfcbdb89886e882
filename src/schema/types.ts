/**
 * The `sa` vocabulary as plain, immutable, JSON-like data.
 *
 * Every object carries a `kind` discriminator so it can be compiled to SQL, compared
 * (autogenerate), rendered back to TypeScript and linted without a second representation.
 */

/** A raw SQL expression, used exactly as written (server defaults, CHECK conditions, index predicates). */
export interface SqlExpression {
  readonly kind: "sql";
  readonly sql: string;
}

export interface IntegerType { readonly kind: "integer" }
export interface BigIntegerType { readonly kind: "bigInteger" }
export interface SmallIntegerType { readonly kind: "smallInteger" }
export interface StringType { readonly kind: "string"; readonly length: number | null }
export interface TextType { readonly kind: "text" }
export interface BooleanType { readonly kind: "boolean" }
export interface DateTimeType { readonly kind: "dateTime"; readonly timezone: boolean }
export interface DateType { readonly kind: "date" }
export interface TimeType { readonly kind: "time" }
export interface NumericType { readonly kind: "numeric"; readonly precision: number | null; readonly scale: number | null }
export interface FloatType { readonly kind: "float" }
export interface JsonType { readonly kind: "json" }
export interface UuidType { readonly kind: "uuid" }
export interface BinaryType { readonly kind: "binary" }
/** An enumerated type. On PostgreSQL it is a named type (`CREATE TYPE name AS ENUM`); elsewhere inline. */
export interface EnumType { readonly kind: "enum"; readonly name: string; readonly values: readonly string[] }
/** A type given as raw DDL text, rendered verbatim on every dialect (e.g. reflected SQLite types, `CITEXT`). */
export interface CustomType { readonly kind: "custom"; readonly sql: string }

export type SqlType =
  | IntegerType
  | BigIntegerType
  | SmallIntegerType
  | StringType
  | TextType
  | BooleanType
  | DateTimeType
  | DateType
  | TimeType
  | NumericType
  | FloatType
  | JsonType
  | UuidType
  | BinaryType
  | EnumType
  | CustomType;

export type SqlTypeKind = SqlType["kind"];

/** A server default: a raw SQL expression, or a literal rendered as an escaped SQL literal. */
export type ServerDefault = SqlExpression | string | number | boolean;

export interface Column {
  readonly kind: "column";
  readonly name: string;
  readonly type: SqlType;
  /** Defaults to true unless the column is part of the primary key. */
  readonly nullable: boolean;
  readonly primaryKey: boolean;
  /**
   * `true`: autoincrementing (SERIAL/BIGSERIAL on PostgreSQL, AUTO_INCREMENT on MySQL,
   * `INTEGER PRIMARY KEY AUTOINCREMENT` on SQLite). `"auto"` (the default): autoincrementing when the
   * column is the table's only primary-key column and of an integer type (SQLAlchemy's rule); on SQLite
   * that is the implicit rowid alias, without the AUTOINCREMENT keyword. `false`: never.
   */
  readonly autoincrement: boolean | "auto";
  /** Shorthand for a single-column unique constraint (see `sa.table` for how it is normalized). */
  readonly unique: boolean;
  /** Shorthand for an index named `ix_<table>_<column>` (see `sa.table`). */
  readonly index: boolean;
  /** null: no server default. */
  readonly serverDefault: ServerDefault | null;
  readonly comment: string | null;
}

export interface PrimaryKeyConstraint {
  readonly kind: "primaryKey";
  readonly name: string | null;
  readonly columns: readonly string[];
}

export interface UniqueConstraint {
  readonly kind: "unique";
  readonly name: string | null;
  readonly columns: readonly string[];
}

export interface CheckConstraint {
  readonly kind: "check";
  readonly name: string | null;
  /** The condition, raw SQL. */
  readonly condition: string;
}

export type ReferentialAction = "CASCADE" | "SET NULL" | "SET DEFAULT" | "RESTRICT" | "NO ACTION";

export interface ForeignKeyConstraint {
  readonly kind: "foreignKey";
  readonly name: string | null;
  readonly columns: readonly string[];
  readonly referentTable: string;
  readonly referentColumns: readonly string[];
  readonly onDelete: ReferentialAction | null;
  readonly onUpdate: ReferentialAction | null;
  /** null: the database default (NOT DEFERRABLE). */
  readonly deferrable: boolean | null;
  readonly initiallyDeferred: boolean | null;
}

export type Constraint = PrimaryKeyConstraint | UniqueConstraint | CheckConstraint | ForeignKeyConstraint;
export type ConstraintKind = Constraint["kind"];

/** An index element: a column name, or a raw SQL expression (functional index). */
export type IndexElement = string | SqlExpression;

export interface Index {
  readonly kind: "index";
  readonly name: string;
  readonly columns: readonly IndexElement[];
  readonly unique: boolean;
  /** Partial-index predicate (raw SQL), or null. */
  readonly where: string | null;
}

export interface Table {
  readonly kind: "table";
  readonly name: string;
  readonly columns: readonly Column[];
  /** Normalized: at most one primaryKey constraint; column `unique` shorthands appear here. */
  readonly constraints: readonly Constraint[];
  /** Normalized: column `index` shorthands appear here as `ix_<table>_<column>`. */
  readonly indexes: readonly Index[];
  readonly comment: string | null;
}

/** Options object accepted among `sa.table(...)` items. */
export interface TableOptions {
  comment?: string | null;
}

export type TableItem = Column | Constraint | Index | TableOptions;

export type SchemaObject = Table | Column | Constraint | Index | SqlType | SqlExpression;
