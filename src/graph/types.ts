/** What a revision file declares in its header, read without executing the file. */
export interface RevisionHeader {
  /** The revision id (`export const revision`). */
  revision: string;
  /** Parent ids as written (`downRevision`); empty for a root. Several for a merge. */
  downRevisions: string[];
  /** Branch labels declared on this revision (`branchLabels`). */
  branchLabels: string[];
  /** Dependencies as written (`dependsOn`): full ids, unique prefixes or branch labels. */
  dependsOn: string[];
  /** First paragraph of the docstring. */
  message: string;
  /** The whole docstring (without the comment markers). */
  docstring: string;
  /** `Create Date:` line of the docstring, as written; null when absent. */
  createDate: string | null;
  /** Absolute path of the file. */
  path: string;
}

/** A revision inside a built graph: the header plus what the graph derived. */
export interface Revision extends RevisionHeader {
  /** Parent ids resolved to full ids. */
  parents: string[];
  /** Dependencies resolved to full ids. */
  dependencies: string[];
  /** Children via downRevision, in file order. */
  children: string[];
  /** Revisions that declare this one in dependsOn. */
  dependents: string[];
  /** Declared plus propagated branch labels, sorted. */
  labels: string[];
  /** No child via downRevision. */
  isHead: boolean;
  /** A head that another revision depends on (Alembic's "effective head"). */
  isEffectiveHead: boolean;
  /** No parents. */
  isBase: boolean;
  isBranchPoint: boolean;
  isMergePoint: boolean;
}

/** One step of a plan: run `revision` in `direction`; the version table goes from rowsBefore to rowsAfter. */
export interface MigrationStep {
  revision: Revision;
  direction: "up" | "down";
  /** Version-table rows before the step (sorted). */
  rowsBefore: string[];
  /** Version-table rows after the step (sorted). */
  rowsAfter: string[];
}

/** Any failure of graph building or resolution; the message is shown to users after `ERROR: `. */
export class GraphError extends Error {
  override name = "GraphError";
}
