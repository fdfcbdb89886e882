/** Autogenerate: compare the target schema with the database, render the difference as a revision. */
export { compareSchemas, reverseOperations, pgUsing, AutogenerateError, type CompareOptions, type ReverseOptions } from "./compare.js";
export { normalizeTypeSql, normalizeSqlExpression, typeKey, defaultKey, renderDefault } from "./normalize.js";
export {
  renderOperations, renderOperationCall, renderRevisionBody, renderType, renderColumn, renderConstraint, renderIndex,
  renderTableItems, renderServerDefault, BEGIN_MARKER, END_MARKER,
} from "./render.js";
export { parseRenames, withRename, terminalPrompt, isInteractive, renameQuestion, RenameError, type RenamePrompt } from "./renames.js";
export { formatWithProjectPrettier } from "./prettier.js";
export type * from "./types.js";
