import type { Operation } from "../operations/ops.js";
import type { ServerDefault, SqlType, Table } from "../schema/types.js";
import type { DialectName, Statement } from "./types.js";

/** What a compiler may need besides the operation itself. */
export interface CompileContext {
  /**
   * Current definitions of tables, by name: the live table reflected by the `op` facade, or a batch's
   * `copyFrom`. Only SQLite's table recreate ("move and copy") needs them.
   */
  readonly tables?: Readonly<Record<string, Table>>;
}

export interface CompilePlan {
  readonly statements: Statement[];
  /** Tables rebuilt by "move and copy" (SQLite): the caller may have to suspend foreign-key enforcement. */
  readonly recreatedTables: string[];
}

/** A table whose live definition compiling an operation needs (or could use). */
export interface TableRequirement {
  readonly table: string;
  /** true: compiling fails without it; false: it only lets the compiler choose a cheaper native path. */
  readonly required: boolean;
}

export interface Compiler {
  readonly dialect: DialectName;
  /** Whether DDL statements take part in transactions (PostgreSQL, SQLite: yes; MySQL: no). */
  readonly transactionalDdl: boolean;
  /** Always quotes: "x" (PostgreSQL, SQLite) or `x` (MySQL), embedded quotes doubled. */
  quoteIdentifier(name: string): string;
  /** The statements for an operation. Values are bound (`params`), never spliced. */
  compile(op: Operation, ctx?: CompileContext): Statement[];
  /** `compile` plus what the caller must know to run the statements safely. */
  plan(op: Operation, ctx?: CompileContext): CompilePlan;
  /** Which live table definitions `compile(op)` needs (only SQLite asks for any). */
  tablesNeeded(op: Operation): TableRequirement[];
  renderType(t: SqlType): string;
  /** A JavaScript value as an escaped SQL literal. */
  renderLiteral(value: unknown): string;
  /** A server default as DDL text: raw for `sa.sql(...)`, an escaped literal otherwise. */
  renderServerDefault(d: ServerDefault): string;
  /** For --sql: the statement with its parameters rendered as literals, safely escaped. */
  inlineStatement(s: Statement): string;
}
