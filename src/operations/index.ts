export { Operations } from "./operations.js";
export type { Op, BatchAlterTableOptions } from "./operations.js";
export { BatchOperations } from "./batch.js";
export type { OpExecutor } from "./executor.js";
export * from "./ops.js";
export * from "./build.js";
export { reverseOperation, reverseOperationOrThrow } from "./reverse.js";
export { convertParams } from "./params.js";
export type { ExecuteParams } from "./params.js";
