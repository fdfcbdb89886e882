import type { Column, Constraint, IndexElement, SqlExpression } from "../schema/types.js";
import type { DialectName } from "../dialects/types.js";
import {
  addColumnOp, alterColumnOp, createCheckConstraintOp, createForeignKeyOp, createIndexOp, createPrimaryKeyOp,
  createTableCommentOp, createUniqueConstraintOp, dropColumnOp, dropConstraintOp, dropIndexOp, dropTableCommentOp,
  type AlterColumnOptions, type CreateForeignKeyOptions, type CreateIndexOptions, type DropIndexOptions,
} from "./build.js";
import type { BatchChildOp, ConstraintType } from "./ops.js";

/**
 * The `batch` object of `op.batchAlterTable(table, async (batch) => ...)`: the `op` methods for one table,
 * without the table argument. They only record; the batch runs when the callback returns.
 */
export class BatchOperations {
  readonly ops: BatchChildOp[] = [];

  constructor(readonly table: string, readonly dialect: DialectName) {}

  f(name: string): string {
    return name;
  }

  private add(op: BatchChildOp): Promise<void> {
    this.ops.push(op);
    return Promise.resolve();
  }

  addColumn(column: Column): Promise<void> {
    return this.add(addColumnOp(this.table, column));
  }

  dropColumn(column: string, options: { existing?: Column | null } = {}): Promise<void> {
    return this.add(dropColumnOp(this.table, column, options));
  }

  alterColumn(column: string, options: AlterColumnOptions = {}): Promise<void> {
    return this.add(alterColumnOp(this.table, column, options));
  }

  createIndex(name: string, columns: IndexElement | readonly IndexElement[], options: CreateIndexOptions = {}): Promise<void> {
    return this.add(createIndexOp(name, this.table, columns, options));
  }

  dropIndex(name: string, options: Omit<DropIndexOptions, "table"> = {}): Promise<void> {
    return this.add(dropIndexOp(name, { ...options, table: this.table }));
  }

  createUniqueConstraint(name: string | null, columns: string | readonly string[]): Promise<void> {
    return this.add(createUniqueConstraintOp(name, this.table, columns));
  }

  createCheckConstraint(name: string | null, condition: string | SqlExpression): Promise<void> {
    return this.add(createCheckConstraintOp(name, this.table, condition));
  }

  createForeignKey(
    name: string | null, referentTable: string, localColumns: string | readonly string[],
    remoteColumns: string | readonly string[], options: CreateForeignKeyOptions = {},
  ): Promise<void> {
    return this.add(createForeignKeyOp(name, this.table, referentTable, localColumns, remoteColumns, options));
  }

  createPrimaryKey(name: string | null, columns: string | readonly string[]): Promise<void> {
    return this.add(createPrimaryKeyOp(name, this.table, columns));
  }

  dropConstraint(name: string, options: { type?: ConstraintType | null; existing?: Constraint | null } = {}): Promise<void> {
    return this.add(dropConstraintOp(name, this.table, options));
  }

  createTableComment(comment: string, options: { existingComment?: string | null } = {}): Promise<void> {
    return this.add(createTableCommentOp(this.table, comment, options));
  }

  dropTableComment(options: { existingComment?: string | null } = {}): Promise<void> {
    return this.add(dropTableCommentOp(this.table, options));
  }
}
