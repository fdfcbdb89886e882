import type { Revision } from "../graph/types.js";
import type { Project } from "./project.js";

/** `heads`: versioned heads (with effective heads), or only real heads with resolveDependencies. */
export function heads(project: Project, options: { resolveDependencies?: boolean } = {}): Revision[] {
  const graph = project.graph();
  const ids = options.resolveDependencies ? graph.realHeads() : graph.heads();
  return ids.map((id) => graph.get(id));
}

/** `branches`: every branch point. */
export function branches(project: Project): Revision[] {
  const graph = project.graph();
  return graph.branchPoints().map((id) => graph.get(id));
}

/** `history`: revisions newest first, optionally limited to a range (`a:b`, `:b`, `a:`, `-3:`, `current:`). */
export function history(project: Project, range?: string, rows?: string[]): Revision[] {
  return project.graph().history(range, rows);
}

/** `show REV`: the revisions a symbol resolves to. */
export function show(project: Project, symbol: string): Revision[] {
  const graph = project.graph();
  return graph.resolve(symbol).map((id) => graph.get(id));
}
