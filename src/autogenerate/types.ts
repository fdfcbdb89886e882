/**
 * Autogenerate's data model: the hooks a config may define, what the comparator returns, and the
 * revision directives `processRevisionDirectives` receives.
 */
import type { DialectName } from "../dialects/types.js";
import type { Operation } from "../operations/ops.js";
import type { Column, Constraint, EnumType, Index, ServerDefault, SqlType, Table } from "../schema/types.js";

/** Autogenerate can't proceed (not at head, no schema configured, an unusable schema, ...). */
export class AutogenerateError extends Error {
  override name = "AutogenerateError";
}

/** Kinds of schema objects the `includeName` / `includeObject` hooks see. */
export type SchemaObjectType =
  | "table"
  | "column"
  | "index"
  | "uniqueConstraint"
  | "foreignKeyConstraint"
  | "checkConstraint"
  | "enum";

/** Any object `includeObject` may receive. */
export type SchemaItem = Table | Column | Index | Constraint | EnumType;

/** Names of the objects containing the one being filtered. */
export interface ParentNames {
  tableName?: string;
}

/** What comparison hooks receive about where they are. */
export interface CompareContext {
  dialect: DialectName;
  /** The table the column belongs to. */
  table: string;
}

/**
 * Autogenerate hooks, read from the config (`athanor.config.ts`). All are optional.
 *
 * ```ts
 * export default defineConfig({
 *   schema: "./src/schema.ts",
 *   // skip anything whose name starts with "tmp_"
 *   includeName: (name, type) => !name.startsWith("tmp_"),
 *   // ignore tables that only exist in the database (never propose to drop them)
 *   includeObject: (object, name, type, reflected, compareTo) => !(type === "table" && reflected && compareTo === null),
 *   // treat every VARCHAR length change as no change
 *   compareType: (ctx, reflectedColumn, targetColumn, reflectedType, targetType) =>
 *     reflectedType.kind === "string" && targetType.kind === "string" ? false : undefined,
 *   // don't write empty revisions
 *   processRevisionDirectives: (directives) => directives.filter((d) => d.upgradeOps.length > 0),
 * });
 * ```
 */
export interface AutogenerateHooks {
  /**
   * Called for every name read from the database, before the object is compared (tables are
   * filtered before they are even reflected). Return false to leave the object out of the comparison.
   * `parentNames.tableName` is set for columns, indexes and constraints.
   */
  includeName?: (name: string, type: SchemaObjectType, parentNames: ParentNames) => boolean;
  /**
   * Called for every object on both sides: the target schema's (`reflected` false) and the
   * database's (`reflected` true). `compareTo` is the object it is compared with on the other
   * side, or null when there is none (an added or removed object). Return false to skip it.
   */
  includeObject?: (
    object: SchemaItem,
    name: string | null,
    type: SchemaObjectType,
    reflected: boolean,
    compareTo: SchemaItem | null,
  ) => boolean;
  /**
   * Decide whether a column's type changed. Return true (changed), false (not changed), or
   * undefined/null to use athanor's own dialect-aware comparison. `false` instead of a function
   * turns type comparison off.
   */
  compareType?:
    | false
    | ((ctx: CompareContext, reflectedColumn: Column, targetColumn: Column, reflectedType: SqlType, targetType: SqlType) => boolean | null | undefined);
  /**
   * Decide whether a column's server default changed. The rendered arguments are the defaults as
   * SQL text (null: no default). Return true, false, or undefined/null for the default comparison.
   * `false` instead of a function turns server-default comparison off.
   */
  compareServerDefault?:
    | false
    | ((
        ctx: CompareContext,
        reflectedColumn: Column,
        targetColumn: Column,
        renderedReflectedDefault: string | null,
        targetDefault: ServerDefault | null,
        renderedTargetDefault: string | null,
      ) => boolean | null | undefined);
  /**
   * Inspect or rewrite what will be written before any file is. Mutate the array (e.g.
   * `directives.length = 0` to write nothing) or return a new array. Each directive becomes one
   * revision file; ops may be edited, reordered or removed.
   */
  processRevisionDirectives?: (
    directives: RevisionDirective[],
    context: { dialect: DialectName; autogenerate: boolean },
  ) => void | RevisionDirective[] | Promise<void | RevisionDirective[]>;
}

/** A loud comment written into the revision (and logged): e.g. a drop+add that may be a rename. */
export interface AutogenWarning {
  message: string;
  /** Rendered right before this operation of `upgradeOps` when it is present; at the top otherwise. */
  before?: Operation;
}

/** One revision file to write. */
export interface RevisionDirective {
  message: string;
  revId?: string;
  head?: string;
  splice?: boolean;
  branchLabels?: string[];
  dependsOn?: string[];
  versionPath?: string;
  upgradeOps: Operation[];
  downgradeOps: Operation[];
  warnings: AutogenWarning[];
  /** Extra import lines for the file. */
  imports: string[];
}

/** A difference found by the comparator, for `check` and the `Detected ...` log lines. */
export interface SchemaDifference {
  kind:
    | "addTable" | "removeTable" | "renameTable"
    | "addColumn" | "removeColumn" | "renameColumn"
    | "modifyType" | "modifyNullable" | "modifyDefault" | "modifyComment"
    | "addIndex" | "removeIndex"
    | "addUniqueConstraint" | "removeUniqueConstraint"
    | "addForeignKey" | "removeForeignKey"
    | "addCheckConstraint" | "removeCheckConstraint"
    | "addTableComment" | "removeTableComment" | "modifyTableComment"
    | "addEnum" | "removeEnum" | "modifyEnum";
  table?: string;
  column?: string;
  name?: string;
  /** Human-readable, without the `Detected ` prefix: `added table 'users'`. */
  message: string;
}

/** A dropped and an added object of compatible shape: possibly a rename. */
export type RenameCandidate =
  | { kind: "table"; from: string; to: string }
  | { kind: "column"; table: string; from: string; to: string };

/** Renames the comparator applies instead of drop+add. */
export interface Renames {
  /** old table name -> new table name */
  tables?: Record<string, string>;
  /** table (its target name) -> old column name -> new column name */
  columns?: Record<string, Record<string, string>>;
}

/** The comparator's result. */
export interface MigrationPlan {
  upgradeOps: Operation[];
  /** The inverse of `upgradeOps`: each operation's reverse, in reverse order. */
  downgradeOps: Operation[];
  differences: SchemaDifference[];
  warnings: AutogenWarning[];
  /** Drop+add pairs not covered by `renames` that look like renames. */
  renameCandidates: RenameCandidate[];
}
