import { deepFreeze } from "../schema/builders.js";
import type {
  AlterColumnOp, BatchChildOp, Operation,
} from "./ops.js";
import { constraintOfOp, constraintTypeOf, opForConstraint } from "./ops.js";

/**
 * The inverse of an operation, or null when it has none or not enough is known to build it
 * (e.g. dropTable without `existing`, execute, bulkInsert, alterColumn changing a field whose
 * `existing*` value was not given).
 */
export function reverseOperation(op: Operation): Operation | null {
  const r = reverseInner(op);
  return r === null ? null : deepFreeze(r);
}

/** Like `reverseOperation`, but throws a clear error when there is no inverse. */
export function reverseOperationOrThrow(op: Operation): Operation {
  const r = reverseOperation(op);
  if (r === null) throw new Error(`operation ${op.kind} is not reversible (no inverse, or its existing state is unknown)`);
  return r;
}

function reverseInner(op: Operation): Operation | null {
  switch (op.kind) {
    case "createTable":
      return { kind: "dropTable", table: op.table.name, ifExists: false, existing: op.table };
    case "dropTable":
      return op.existing ? { kind: "createTable", table: op.existing } : null;
    case "addColumn":
      return { kind: "dropColumn", table: op.table, column: op.column.name, existing: op.column };
    case "dropColumn":
      return op.existing ? { kind: "addColumn", table: op.table, column: op.existing } : null;
    case "alterColumn":
      return reverseAlterColumn(op);
    case "renameTable":
      return { kind: "renameTable", table: op.newName, newName: op.table };
    case "createIndex":
      return {
        kind: "dropIndex", name: op.name, table: op.table, concurrently: op.concurrently, ifExists: false,
        existing: { columns: op.columns, unique: op.unique, where: op.where },
      };
    case "dropIndex":
      if (!op.existing || !op.table) return null;
      return {
        kind: "createIndex", name: op.name, table: op.table, columns: op.existing.columns, unique: op.existing.unique,
        where: op.existing.where, concurrently: op.concurrently, ifNotExists: false,
      };
    case "createUniqueConstraint":
    case "createCheckConstraint":
    case "createForeignKey":
    case "createPrimaryKey": {
      if (op.name === null) return null; // an unnamed constraint cannot be dropped by name
      const c = constraintOfOp(op);
      return { kind: "dropConstraint", name: op.name, table: op.table, type: constraintTypeOf(c), existing: c };
    }
    case "dropConstraint":
      if (!op.existing) return null;
      return opForConstraint(op.table, { ...op.existing, name: op.existing.name ?? op.name });
    case "createTableComment":
      if (op.existingComment === undefined || op.existingComment === null) {
        return { kind: "dropTableComment", table: op.table, existingComment: op.comment };
      }
      return { kind: "createTableComment", table: op.table, comment: op.existingComment, existingComment: op.comment };
    case "dropTableComment":
      if (op.existingComment === undefined || op.existingComment === null) return null;
      return { kind: "createTableComment", table: op.table, comment: op.existingComment, existingComment: null };
    case "createEnum":
      return { kind: "dropEnum", name: op.name, ifExists: false, values: op.values };
    case "dropEnum":
      return op.values ? { kind: "createEnum", name: op.name, values: op.values, ifNotExists: false } : null;
    case "execute":
    case "bulkInsert":
      return null;
    case "batchAlterTable": {
      const reversed: BatchChildOp[] = [];
      for (const child of [...op.ops].reverse()) {
        const r = reverseInner(child);
        if (r === null) return null;
        reversed.push(r as BatchChildOp);
      }
      return { kind: "batchAlterTable", table: op.table, recreate: op.recreate, ops: reversed, copyFrom: null };
    }
  }
}

function reverseAlterColumn(op: AlterColumnOp): AlterColumnOp | null {
  const r: { -readonly [K in keyof AlterColumnOp]: AlterColumnOp[K] } = {
    kind: "alterColumn",
    table: op.table,
    column: op.newName ?? op.column,
  };
  if (op.newName !== undefined) r.newName = op.column;
  if (op.type !== undefined) {
    if (op.existingType === undefined) return null;
    r.type = op.existingType;
  }
  if (op.nullable !== undefined) {
    if (op.existingNullable === undefined) return null;
    r.nullable = op.existingNullable;
  }
  if (op.serverDefault !== undefined) {
    if (op.existingServerDefault === undefined) return null;
    r.serverDefault = op.existingServerDefault;
  }
  if (op.comment !== undefined) {
    if (op.existingComment === undefined) return null;
    r.comment = op.existingComment;
  }
  // The state after `op` is the reverse's existing state.
  const existingType = op.type ?? op.existingType;
  const existingNullable = op.nullable ?? op.existingNullable;
  const existingServerDefault = op.serverDefault !== undefined ? op.serverDefault : op.existingServerDefault;
  const existingComment = op.comment !== undefined ? op.comment : op.existingComment;
  if (existingType !== undefined) r.existingType = existingType;
  if (existingNullable !== undefined) r.existingNullable = existingNullable;
  if (existingServerDefault !== undefined) r.existingServerDefault = existingServerDefault;
  if (existingComment !== undefined) r.existingComment = existingComment;
  if (op.existingAutoincrement !== undefined) r.existingAutoincrement = op.existingAutoincrement;
  // `using` is not reversible in general: the reverse converts with the database's implicit cast.
  return r;
}
