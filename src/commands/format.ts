import type { Revision } from "../graph/types.js";

/** How much of a revision a one-line rendering shows (Alembic's `_head_only`). */
export interface LineOptions {
  parents?: boolean;
  labels?: boolean;
  doc?: boolean;
  headIndicator?: boolean;
  treeIndicators?: boolean;
  /** Revisions to mark `(current)`. */
  current?: ReadonlySet<string>;
}

function joinIds(ids: readonly string[]): string {
  return ids.join(", ");
}

/** `<down> (<deps>) -> <rev> (<labels>) (head) (current) (branchpoint) (mergepoint), <message>` */
export function formatRevisionLine(rev: Revision, o: LineOptions = {}): string {
  let text = rev.revision;
  if (o.parents) {
    const parents = rev.downRevisions.length ? joinIds(rev.downRevisions) : "<base>";
    const deps = rev.dependsOn.length ? ` (${joinIds(rev.dependsOn)})` : "";
    text = `${parents}${deps} -> ${text}`;
  }
  if (o.labels && rev.labels.length) text += ` (${joinIds(rev.labels)})`;
  if (o.headIndicator || o.treeIndicators) {
    if (rev.isHead && !rev.isEffectiveHead) text += " (head)";
    if (rev.isEffectiveHead) text += " (effective head)";
    if (o.current?.has(rev.revision)) text += " (current)";
  }
  if (o.treeIndicators) {
    if (rev.isBranchPoint) text += " (branchpoint)";
    if (rev.isMergePoint) text += " (mergepoint)";
  }
  if (o.doc) text += `, ${rev.message}`;
  return text;
}

/** Alembic's verbose log entry: Rev / Parent or Merges / Also depends on / Branches into / Branch names / Path / docstring. */
export function formatRevisionBlock(rev: Revision, current?: ReadonlySet<string>): string {
  const marks =
    (rev.isHead && !rev.isEffectiveHead ? " (head)" : "") +
    (rev.isEffectiveHead ? " (effective head)" : "") +
    (current?.has(rev.revision) ? " (current)" : "") +
    (rev.isBranchPoint ? " (branchpoint)" : "") +
    (rev.isMergePoint ? " (mergepoint)" : "");
  const lines = [`Rev: ${rev.revision}${marks}`];
  if (rev.downRevisions.length > 1) lines.push(`Merges: ${joinIds(rev.downRevisions)}`);
  else lines.push(`Parent: ${rev.downRevisions[0] ?? "<base>"}`);
  if (rev.dependsOn.length) lines.push(`Also depends on: ${joinIds(rev.dependsOn)}`);
  if (rev.isBranchPoint) lines.push(`Branches into: ${joinIds(rev.children)}`);
  if (rev.labels.length) lines.push(`Branch names: ${joinIds(rev.labels)}`);
  lines.push(`Path: ${rev.path}`, "");
  const doc = rev.docstring.trim() || rev.message;
  for (const line of doc.split("\n")) lines.push(line.trim() ? `    ${line}` : "");
  lines.push("");
  return lines.join("\n");
}

/** The JSON form of a revision for `--format json`. */
export function revisionToJson(rev: Revision, current?: ReadonlySet<string>) {
  return {
    revision: rev.revision,
    downRevisions: rev.downRevisions,
    dependsOn: rev.dependsOn,
    branchLabels: rev.labels,
    message: rev.message,
    createDate: rev.createDate,
    path: rev.path,
    isHead: rev.isHead,
    isEffectiveHead: rev.isEffectiveHead,
    isBranchPoint: rev.isBranchPoint,
    isMergePoint: rev.isMergePoint,
    isBase: rev.isBase,
    ...(current ? { isCurrent: current.has(rev.revision) } : {}),
  };
}
