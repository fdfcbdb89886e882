/**
 * Building and validating the revision graph from revision-file headers.
 *
 * Everything here is index-based (revision i = i-th header in file order) and linear in the size
 * of the graph: no recursion (a 10,000-deep chain must not blow the stack) and no per-node
 * ancestor sets.
 */
import { GraphError, type Revision, type RevisionHeader } from "./types.js";

/** Characters Alembic forbids in revision ids, plus whitespace. */
const ILLEGAL_CHARS = ["@", "-", "+", ":"];
const ILLEGAL = /[@\-+:\s]/;

/** The graph as plain arrays; `RevisionGraph` wraps it. */
export interface GraphData {
  ids: string[];
  /** Full id -> index. */
  index: Map<string, number>;
  /** Declared branch label -> index of the revision declaring it. */
  labelIndex: Map<string, number>;
  /** Sorted ids and declared labels, for prefix look-ups (built on first use). */
  keys: () => string[];
  /** Versioned parents (downRevisions), deduplicated. */
  parents: number[][];
  /** Resolved dependencies (dependsOn), deduplicated. */
  deps: number[][];
  /** Versioned children, file order. */
  children: number[][];
  /** Revisions that depend on this one, file order. */
  dependents: number[][];
  /** parents ∪ deps, deduplicated (parents first). */
  prev: number[][];
  /** children ∪ dependents, deduplicated. */
  next: number[][];
  revisions: Revision[];
}

function fail(message: string): never {
  throw new GraphError(message);
}

function where(h: RevisionHeader): string {
  return h.path || h.revision;
}

/** Distinct elements, first occurrence kept; may return `xs` itself (callers do not mutate). */
function dedupe<T>(xs: readonly T[]): readonly T[] {
  if (xs.length < 2) return xs;
  if (xs.length === 2) return xs[0] === xs[1] ? [xs[0]!] : xs;
  return [...new Set(xs)];
}

/** Index of the first element of sorted `keys` that is >= `s`. */
export function lowerBound(keys: readonly string[], s: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Keys (ids and labels) starting with `prefix`, in sorted order. */
export function keysWithPrefix(keys: readonly string[], prefix: string): string[] {
  const out: string[] = [];
  for (let i = lowerBound(keys, prefix); i < keys.length && keys[i]!.startsWith(prefix); i++) {
    out.push(keys[i]!);
  }
  return out;
}

/** Shared empty arrays: most revisions have no dependencies, dependents or labels. */
const NO_NUMS: number[] = Object.freeze([]) as unknown as number[];
const NO_STRS: string[] = Object.freeze([]) as unknown as string[];

/**
 * Kahn's algorithm over `edgesIn` (a node is ready once all its `edgesIn` are emitted).
 * Returns the order and, when a cycle prevents completion, the nodes lying on cycles.
 */
function kahn(
  n: number,
  edgesIn: number[][],
  edgesOut: number[][],
): { order: Int32Array; cyclic: number[] } {
  const pending = new Int32Array(n);
  const order = new Int32Array(n);
  let len = 0;
  for (let i = 0; i < n; i++) {
    const c = edgesIn[i]!.length;
    pending[i] = c;
    if (c === 0) order[len++] = i;
  }
  for (let k = 0; k < len; k++) {
    const outs = edgesOut[order[k]!]!;
    for (let j = 0; j < outs.length; j++) {
      const o = outs[j]!;
      if (--pending[o]! === 0) order[len++] = o;
    }
  }
  if (len === n) return { order, cyclic: [] };
  // Remaining nodes are on a cycle or downstream of one; prune the downstream ones (those whose
  // remaining out-edges all lead to pruned nodes) so that only nodes between cycles remain.
  const alive = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (pending[i]! > 0) alive[i] = 1;
  const outCount = new Int32Array(n);
  const stack: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!alive[i]) continue;
    let c = 0;
    for (const o of edgesOut[i]!) if (alive[o]) c++;
    outCount[i] = c;
    if (c === 0) stack.push(i);
  }
  while (stack.length > 0) {
    const x = stack.pop()!;
    alive[x] = 0;
    for (const p of edgesIn[x]!) {
      if (alive[p] && --outCount[p]! === 0) stack.push(p);
    }
  }
  const cyclic: number[] = [];
  for (let i = 0; i < n; i++) if (alive[i]) cyclic.push(i);
  return { order, cyclic };
}

/**
 * Union of two sorted, duplicate-free label arrays, returning one of the inputs when it already
 * contains the other (so chains and merges of equal label sets share one array).
 */
function mergeLabels(a: string[], b: string[]): string[] {
  if (a === b || b.length === 0) return a;
  if (a.length === 0) return b;
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) {
      out.push(x);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  if (out.length === a.length) return a;
  if (out.length === b.length) return b;
  return out;
}

/** Append `x` to `lists[k]`, replacing the shared empty array on first use. */
function append(lists: number[][], k: number, x: number): void {
  const l = lists[k]!;
  if (l === NO_NUMS) lists[k] = [x];
  else l.push(x);
}

export function buildGraphData(headers: readonly RevisionHeader[]): GraphData {
  const n = headers.length;
  const ids: string[] = new Array<string>(n);
  const index = new Map<string, number>();

  // 1. Per-file checks, then duplicates.
  for (let i = 0; i < n; i++) {
    const h = headers[i]!;
    const id = h.revision;
    if (typeof id !== "string" || id === "") {
      fail(`Revision identifier is missing or empty in ${h.path}`);
    }
    if (h.downRevisions.includes(id)) fail(`Self-loop is detected in revisions (${id})`);
    if (h.dependsOn.includes(id)) fail(`Dependency self-loop is detected in revisions (${id})`);
    if (ILLEGAL.test(id)) {
      const bad = ILLEGAL_CHARS.filter((c) => id.includes(c));
      if (/\s/.test(id)) bad.push("space");
      fail(
        `Character(s) '${bad.sort().join(", ")}' not allowed in revision identifier '${id}' (${h.path})`,
      );
    }
    const prior = index.get(id);
    if (prior !== undefined) {
      fail(`Revision ${id} is present more than once: ${where(headers[prior]!)} and ${where(h)}`);
    }
    index.set(id, i);
    ids[i] = id;
  }

  // 2. Branch labels share the namespace of revision ids.
  const labelIndex = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const labels = headers[i]!.branchLabels;
    for (let k = 0; k < labels.length; k++) {
      const label = labels[k]!;
      if (labels.indexOf(label) < k) continue; // declared twice on the same revision
      const owner = labelIndex.get(label) ?? index.get(label);
      if (owner !== undefined) {
        fail(`Branch name '${label}' in revision ${ids[i]} already used by revision ${ids[owner]}`);
      }
      labelIndex.set(label, i);
    }
  }
  let keys: string[] | undefined; // built on first prefix look-up
  const allKeys = (): string[] => (keys ??= [...ids, ...labelIndex.keys()].sort());

  // 3. Resolve parents (exact ids) and dependencies (ids, labels or unique prefixes).
  const resolveDependency = (d: string, h: RevisionHeader): number => {
    const exact = index.get(d) ?? labelIndex.get(d);
    if (exact !== undefined) return exact;
    const matches = dedupe(keysWithPrefix(allKeys(), d).map((k) => (index.get(k) ?? labelIndex.get(k))!));
    if (matches.length > 1) {
      const names = matches.slice(0, 10).map((m) => ids[m]).join(", ") + (matches.length > 10 ? ", ..." : "");
      fail(`Dependency ${d} referenced from ${where(h)} is ambiguous: it matches ${names}`);
    }
    if (matches.length === 0) fail(`Dependency ${d} referenced from ${where(h)} is not present`);
    return matches[0]!;
  };
  const parents: number[][] = new Array<number[]>(n);
  const deps: number[][] = new Array<number[]>(n);
  // Reverse edges, in file order (filled as we go: children of p are pushed in file order).
  const children: number[][] = new Array<number[]>(n).fill(NO_NUMS);
  const dependents: number[][] = new Array<number[]>(n).fill(NO_NUMS);
  let anyDeps = false;
  for (let i = 0; i < n; i++) {
    const h = headers[i]!;
    const down = h.downRevisions;
    let ps = NO_NUMS;
    for (let k = 0; k < down.length; k++) {
      const j = index.get(down[k]!);
      if (j === undefined) fail(`Revision ${down[k]} referenced from ${where(h)} is not present`);
      if (ps.includes(j)) continue;
      if (ps === NO_NUMS) ps = [j];
      else ps.push(j);
      append(children, j, i);
    }
    parents[i] = ps;
    const dependsOn = h.dependsOn;
    let ds = NO_NUMS;
    for (let k = 0; k < dependsOn.length; k++) {
      const j = resolveDependency(dependsOn[k]!, h);
      if (j === i) fail(`Dependency self-loop is detected in revisions (${ids[i]})`);
      if (ds.includes(j)) continue;
      if (ds === NO_NUMS) ds = [j];
      else ds.push(j);
      append(dependents, j, i);
      anyDeps = true;
    }
    deps[i] = ds;
  }
  let prev = parents;
  let next = children;
  if (anyDeps) {
    prev = new Array<number[]>(n);
    next = new Array<number[]>(n);
    for (let i = 0; i < n; i++) {
      const ps = parents[i]!;
      const ds = deps[i]!;
      prev[i] = ds.length === 0 ? ps : (dedupe([...ps, ...ds]) as number[]);
      const cs = children[i]!;
      const ts = dependents[i]!;
      next[i] = ts.length === 0 ? cs : cs.length === 0 ? ts : (dedupe([...cs, ...ts]) as number[]);
    }
  }

  // 4. Cycles: versioned first, then through dependencies.
  const versioned = kahn(n, parents, children);
  if (versioned.cyclic.length > 0) {
    fail(`Cycle is detected in revisions (${versioned.cyclic.map((i) => ids[i]!).sort().join(", ")})`);
  }
  let topo = versioned.order; // parents (and, below, dependencies) before children
  if (anyDeps) {
    const full = kahn(n, prev, next);
    if (full.cyclic.length > 0) {
      const names = full.cyclic.map((i) => ids[i]!).sort().join(", ");
      fail(`Dependency cycle is detected in revisions (${names})`);
    }
    topo = full.order;
  }

  // 5. Branch labels.
  const labelsOf = labelIndex.size === 0 ? undefined : propagateLabels(headers, topo, parents, children, next);

  // 6. Revision objects.
  const nameAll = (xs: number[]): string[] => {
    if (xs.length === 0) return NO_STRS;
    const out = new Array<string>(xs.length);
    for (let k = 0; k < xs.length; k++) out[k] = ids[xs[k]!]!;
    return out;
  };
  const revisions: Revision[] = new Array<Revision>(n);
  for (let i = 0; i < n; i++) {
    const h = headers[i]!;
    const labels = labelsOf === undefined ? NO_STRS : labelsOf[i]!;
    const ps = parents[i]!;
    const cs = children[i]!;
    revisions[i] = {
      revision: h.revision,
      downRevisions: h.downRevisions,
      branchLabels: h.branchLabels,
      dependsOn: h.dependsOn,
      message: h.message,
      docstring: h.docstring,
      createDate: h.createDate,
      path: h.path,
      parents: nameAll(ps),
      dependencies: nameAll(deps[i]!),
      children: nameAll(cs),
      dependents: nameAll(dependents[i]!),
      labels,
      isHead: cs.length === 0,
      isEffectiveHead: cs.length === 0 && dependents[i]!.length > 0,
      isBase: ps.length === 0,
      isBranchPoint: cs.length > 1,
      isMergePoint: ps.length > 1,
    };
  }

  return { ids, index, labelIndex, keys: allKeys, parents, deps, children, dependents, prev, next, revisions };
}

/**
 * Each revision's branch labels: declared plus propagated (Alembic's `_add_branches`).
 *
 * Up: a revision carries its own labels and those of its versioned parents, so every descendant
 * of a labelled revision carries the label and a merge carries the union.
 *
 * Down: when a labelled revision's versioned subtree is a single chain, its labels also go down
 * to its ancestors, through revisions that are neither a merge point nor a "real" branch point
 * (more than one child or dependent), stopping at the first one that is.
 *
 * Sets are shared along chains, so a long chain costs O(length), not O(length x labels).
 */
function propagateLabels(
  headers: readonly RevisionHeader[],
  topo: Int32Array,
  parents: number[][],
  children: number[][],
  next: number[][],
): string[][] {
  const n = headers.length;
  const declared: string[][] = new Array<string[]>(n);
  for (let i = 0; i < n; i++) {
    const b = headers[i]!.branchLabels;
    declared[i] = b.length === 0 ? NO_STRS : [...new Set(b)].sort();
  }
  const up: string[][] = new Array<string[]>(n);
  for (let k = 0; k < n; k++) {
    const i = topo[k]!;
    const ps = parents[i]!;
    let l = declared[i]!;
    for (let j = 0; j < ps.length; j++) l = mergeLabels(l, up[ps[j]!]!);
    up[i] = l;
  }
  // chainClean[i]: i's subtree is one chain and none of it (i included) stops a downward walk.
  const chainClean = new Uint8Array(n);
  const out: string[][] = new Array<string[]>(n);
  const down: string[][] = new Array<string[]>(n);
  for (let k = n - 1; k >= 0; k--) {
    const i = topo[k]!;
    const cs = children[i]!;
    const stops = parents[i]!.length > 1 || next[i]!.length > 1;
    chainClean[i] = !stops && (cs.length === 0 || (cs.length === 1 && chainClean[cs[0]!] === 1)) ? 1 : 0;
    let d = NO_STRS;
    if (!stops && next[i]!.length === 1 && cs.length === 1) {
      const c = cs[0]!; // the single revision above i on a walk down
      d = chainClean[c] ? mergeLabels(down[c]!, declared[c]!) : down[c]!;
    }
    down[i] = d;
    out[i] = mergeLabels(up[i]!, d);
  }
  return out;
}
