/**
 * The `op` object revision files receive. Each method builds an operation object (data), records it
 * in `log`, compiles it for the dialect and hands the statements to the executor.
 */
import { deepFreeze } from "../schema/builders.js";
import type { Column, Constraint, IndexElement, SqlExpression, Table, TableItem } from "../schema/types.js";
import { getCompiler } from "../dialects/compilers.js";
import type { CompileContext } from "../dialects/compiler-types.js";
import { fillMysqlExisting } from "../dialects/mysql/compile-existing.js";
import { reflectSqliteTable } from "../dialects/sqlite/batch-reflect.js";
import type { DialectName, Statement } from "../dialects/types.js";
import { runBackfill, type BackfillOptions, type BackfillResult } from "./backfill.js";
import { BatchOperations } from "./batch.js";
import {
  addColumnOp, alterColumnOp, bulkInsertOp, createCheckConstraintOp, createEnumOp, createForeignKeyOp, createIndexOp,
  createPrimaryKeyOp, createTableCommentOp, createTableOp, createUniqueConstraintOp, dropColumnOp, dropConstraintOp,
  dropEnumOp, dropIndexOp, dropTableCommentOp, dropTableOp, executeOp, renameTableOp,
  type AlterColumnOptions, type CreateForeignKeyOptions, type CreateIndexOptions, type DropIndexOptions,
} from "./build.js";
import type { OpExecutor } from "./executor.js";
import type { AlterColumnOp, BatchAlterTableOp, BatchChildOp, BatchRecreate, ConstraintType, Operation } from "./ops.js";
import { convertParams, type ExecuteParams } from "./params.js";

export interface BatchAlterTableOptions {
  /** "auto" (default): recreate only when the dialect needs it (SQLite); "always"; "never". */
  recreate?: BatchRecreate;
  /** The table as it is before the batch (SQLite recreate in --sql mode, where it can't be reflected). */
  copyFrom?: Table | null;
}

export class Operations {
  /** Every operation executed through this object, in order (what the user wrote). */
  readonly log: Operation[] = [];
  private readonly mysqlInfo: { mariadb?: boolean } = {};

  constructor(private readonly executor: OpExecutor) {}

  /** "postgresql" | "mysql" | "sqlite" */
  get dialect(): DialectName {
    return this.executor.dialect;
  }

  /** True when rendering SQL (--sql) instead of executing it. */
  get offline(): boolean {
    return this.executor.offline;
  }

  /** A name used exactly as written (no naming convention applied). */
  f(name: string): string {
    return name;
  }

  /** Run an operation object (what every method does; also for operations built elsewhere, e.g. autogenerate). */
  async invoke(op: Operation): Promise<void> {
    deepFreeze(op);
    this.log.push(op);
    const compiler = getCompiler(this.dialect);
    let prepared = op;
    if (this.dialect === "mysql" && !this.offline) prepared = await this.fillMysql(op);
    const ctx: { tables?: Record<string, Table> } = {};
    for (const need of compiler.tablesNeeded(prepared)) {
      if (this.offline) continue; // compile explains what to do when the definition is required
      ctx.tables ??= {};
      ctx.tables[need.table] = await reflectSqliteTable((s) => this.executor.query(s), need.table);
    }
    const plan = compiler.plan(prepared, ctx as CompileContext);
    if (plan.recreatedTables.length > 0 && this.dialect === "sqlite" && !this.offline) {
      await this.runSqliteRecreate(plan.statements, plan.recreatedTables);
    } else if (plan.statements.length > 0) {
      await this.executor.run(plan.statements);
    }
  }

  private async fillMysql(op: Operation): Promise<Operation> {
    const query = (s: Statement) => this.executor.query(s);
    if (op.kind === "alterColumn") return fillMysqlExisting(query, op, this.mysqlInfo);
    if (op.kind === "batchAlterTable" && op.ops.some((c) => c.kind === "alterColumn")) {
      const ops: BatchChildOp[] = [];
      for (const c of op.ops) ops.push(c.kind === "alterColumn" ? await fillMysqlExisting(query, c as AlterColumnOp, this.mysqlInfo) : c);
      return { ...op, ops };
    }
    return op;
  }

  /**
   * SQLite "move and copy" drops the old table. With foreign-key enforcement on, that would cascade
   * into (or be refused because of) rows of other tables referencing it, and `PRAGMA foreign_keys`
   * can't change inside a transaction: so when other tables reference it, the recreate runs in an
   * autocommit block (the revision's transaction is committed first) inside its own transaction with
   * enforcement off, checked with `PRAGMA foreign_key_check` before committing.
   */
  private async runSqliteRecreate(statements: Statement[], tables: string[]): Promise<void> {
    const q = (sql: string, params?: unknown[]) => this.executor.query(params ? { sql, params } : { sql });
    const fk = await q("PRAGMA foreign_keys");
    const enforced = Number(Object.values(fk[0] ?? {})[0] ?? 0) === 1;
    const referencing = new Set<string>();
    if (enforced) {
      for (const t of tables) {
        const rows = await q(
          `SELECT DISTINCT m.name AS name FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) p
           WHERE m.type = 'table' AND m.name <> ? COLLATE NOCASE AND p."table" = ? COLLATE NOCASE`, [t, t]);
        for (const r of rows) referencing.add(String(r.name));
      }
    }
    if (referencing.size === 0) {
      // A savepoint makes the recreate all-or-nothing even outside a transaction (no stray temp table).
      await this.executor.run([{ sql: "SAVEPOINT athanor_recreate" }]);
      try {
        await this.executor.run(statements);
      } catch (error) {
        await this.executor.run([{ sql: "ROLLBACK TO athanor_recreate" }, { sql: "RELEASE athanor_recreate" }]).catch(() => undefined);
        throw error;
      }
      await this.executor.run([{ sql: "RELEASE athanor_recreate" }]);
      return;
    }
    await this.executor.autocommit(async () => {
      await this.executor.run([{ sql: "PRAGMA foreign_keys = OFF" }]);
      try {
        await this.executor.run([{ sql: "BEGIN IMMEDIATE" }]);
        try {
          await this.executor.run(statements);
          const problems: string[] = [];
          for (const t of [...tables, ...referencing]) {
            const bad = await q("SELECT * FROM pragma_foreign_key_check(?)", [t]);
            for (const b of bad) problems.push(`${String(b.table)} rowid ${String(b.rowid)} -> ${String(b.parent)}`);
          }
          if (problems.length > 0) {
            throw new Error(`recreating ${tables.join(", ")} would break foreign keys: ${problems.slice(0, 5).join("; ")}${problems.length > 5 ? ", ..." : ""}`);
          }
          await this.executor.run([{ sql: "COMMIT" }]);
        } catch (error) {
          await this.executor.run([{ sql: "ROLLBACK" }]).catch(() => undefined);
          throw error;
        }
      } finally {
        await this.executor.run([{ sql: "PRAGMA foreign_keys = ON" }]);
      }
    });
  }

  // ---------------------------------------------------------------- tables

  /** Create a table; returns its definition (usable with `bulkInsert`). */
  async createTable(name: string, ...items: TableItem[]): Promise<Table> {
    const op = createTableOp(name, ...items);
    await this.invoke(op);
    return op.table;
  }

  async dropTable(name: string, options: { ifExists?: boolean; existing?: Table | null } = {}): Promise<void> {
    await this.invoke(dropTableOp(name, options));
  }

  async renameTable(oldName: string, newName: string): Promise<void> {
    await this.invoke(renameTableOp(oldName, newName));
  }

  async createTableComment(table: string, comment: string, options: { existingComment?: string | null } = {}): Promise<void> {
    await this.invoke(createTableCommentOp(table, comment, options));
  }

  async dropTableComment(table: string, options: { existingComment?: string | null } = {}): Promise<void> {
    await this.invoke(dropTableCommentOp(table, options));
  }

  // ---------------------------------------------------------------- columns

  async addColumn(table: string, column: Column): Promise<void> {
    await this.invoke(addColumnOp(table, column));
  }

  async dropColumn(table: string, column: string, options: { existing?: Column | null } = {}): Promise<void> {
    await this.invoke(dropColumnOp(table, column, options));
  }

  async alterColumn(table: string, column: string, options: AlterColumnOptions = {}): Promise<void> {
    await this.invoke(alterColumnOp(table, column, options));
  }

  // ---------------------------------------------------------------- indexes and constraints

  async createIndex(name: string, table: string, columns: IndexElement | readonly IndexElement[], options: CreateIndexOptions = {}): Promise<void> {
    await this.invoke(createIndexOp(name, table, columns, options));
  }

  async dropIndex(name: string, options: DropIndexOptions = {}): Promise<void> {
    await this.invoke(dropIndexOp(name, options));
  }

  async createUniqueConstraint(name: string | null, table: string, columns: string | readonly string[]): Promise<void> {
    await this.invoke(createUniqueConstraintOp(name, table, columns));
  }

  async createCheckConstraint(name: string | null, table: string, condition: string | SqlExpression): Promise<void> {
    await this.invoke(createCheckConstraintOp(name, table, condition));
  }

  async createForeignKey(
    name: string | null, sourceTable: string, referentTable: string,
    localColumns: string | readonly string[], remoteColumns: string | readonly string[], options: CreateForeignKeyOptions = {},
  ): Promise<void> {
    await this.invoke(createForeignKeyOp(name, sourceTable, referentTable, localColumns, remoteColumns, options));
  }

  async createPrimaryKey(name: string | null, table: string, columns: string | readonly string[]): Promise<void> {
    await this.invoke(createPrimaryKeyOp(name, table, columns));
  }

  async dropConstraint(name: string, table: string, options: { type?: ConstraintType | null; existing?: Constraint | null } = {}): Promise<void> {
    await this.invoke(dropConstraintOp(name, table, options));
  }

  // ---------------------------------------------------------------- enums (PostgreSQL types; nothing elsewhere)

  async createEnum(name: string, values: readonly string[], options: { ifNotExists?: boolean } = {}): Promise<void> {
    await this.invoke(createEnumOp(name, values, options));
  }

  async dropEnum(name: string, options: { ifExists?: boolean; values?: readonly string[] | null } = {}): Promise<void> {
    await this.invoke(dropEnumOp(name, options));
  }

  // ---------------------------------------------------------------- data

  /** Raw SQL; `params` bound: an object for `:name` placeholders, an array for `?`. */
  async execute(sql: string | SqlExpression, params?: ExecuteParams): Promise<void> {
    await this.invoke(executeOp(sql, params));
  }

  /** Insert rows; `table` is a name or a `sa.table(...)` (whose column types adapt values, e.g. JSON). */
  async bulkInsert(table: string | Table, rows: readonly Record<string, unknown>[]): Promise<void> {
    await this.invoke(bulkInsertOp(table, rows));
  }

  /** Read rows in a data migration (online only). Same placeholders as `execute`. */
  async query<T extends Record<string, unknown> = Record<string, unknown>>(sql: string | SqlExpression, params?: ExecuteParams): Promise<T[]> {
    const op = executeOp(sql, params);
    const statement = convertParams(op.sql, op.params, this.dialect);
    return (await this.executor.query(statement)) as T[];
  }

  /**
   * Update a table in bounded primary-key batches, each its own short transaction (outside the
   * revision's transaction), resumable after a failure, with progress lines. See backfill.ts.
   */
  async backfill(table: string, options: BackfillOptions): Promise<BackfillResult> {
    return runBackfill(this.executor, table, options);
  }

  // ---------------------------------------------------------------- batch and autocommit

  /**
   * Group changes to one table. On SQLite, what ALTER TABLE can't do is done by recreating the table
   * ("move and copy"); elsewhere the changes are plain ALTERs.
   */
  async batchAlterTable(table: string, fn: (batch: BatchOperations) => Promise<void> | void, options: BatchAlterTableOptions = {}): Promise<void> {
    const recreate = options.recreate ?? "auto";
    if (recreate !== "auto" && recreate !== "always" && recreate !== "never") {
      throw new TypeError(`batchAlterTable: recreate must be "auto", "always" or "never", got ${JSON.stringify(recreate)}`);
    }
    const batch = new BatchOperations(table, this.dialect);
    await fn(batch);
    if (batch.ops.length === 0 && recreate !== "always") return;
    const op: BatchAlterTableOp = { kind: "batchAlterTable", table, recreate, ops: [...batch.ops], copyFrom: options.copyFrom ?? null };
    await this.invoke(op);
  }

  /** Run statements that cannot run inside a transaction (e.g. CREATE INDEX CONCURRENTLY). */
  async autocommitBlock<T>(fn: () => Promise<T>): Promise<T> {
    return this.executor.autocommit(fn);
  }
}

/** What revision files receive as `op`. */
export type Op = Operations;
