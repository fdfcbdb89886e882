/**
 * The revision graph: resolution of targets, upgrade/downgrade/stamp planning, history ranges.
 *
 * Semantics follow Alembic's RevisionMap (see /work/shared/research/alembic-graph-semantics.md);
 * where Alembic crashes or silently misbehaves a GraphError with a one-line message is thrown.
 * Version-table rows are modelled as an applied set: the rows plus all their ancestors through
 * parents and dependencies; rows = applied revisions with no applied child or dependent.
 *
 * Deliberate differences from Alembic 1.8:
 * - "Destination X is not a valid upgrade target" is never raised: upgrading to an applied or lower
 *   revision is an empty plan; upgrading to another branch adds its row.
 * - Overshooting `+N`, `REV+N`, `REV-N` on upgrade reports "Relative revision +N didn't produce N
 *   migrations" (Alembic crashes); downgrade overshoot keeps "Walked too far".
 * - `downgrade -1` with several rows, and `label@-1` with several heads on the branch, are errors
 *   that name the rows and suggest `<branch>@-1` or `<rev>-1` (Alembic warns or asserts).
 * - Stamp with several destinations replaces only the rows in each destination's lineage;
 *   destinations that are ancestors of each other are rejected ("overlaps").
 * - History: `REV+N`/`REV-N` also at the start of a range; relative overshoot is clamped; `-N:` with
 *   several heads is an error; `:current` with no rows lists nothing.
 * - Any unique prefix of an id or label resolves (Alembic wants 4+ characters for ids); an id and
 *   its own label matching one prefix is not ambiguous; a label that looks relative (`release-2`)
 *   is read as the label.
 * - Labels propagate deterministically (each revision passes on the labels it declares).
 * - Build errors: missing parents/dependencies name the referencing file; duplicate ids name both
 *   files; cycles list only the revisions on them; ambiguous `dependsOn` prefixes are rejected.
 */
import { buildGraphData, keysWithPrefix, lowerBound, type GraphData } from "./build.js";
import { GraphError, type MigrationStep, type Revision, type RevisionHeader } from "./types.js";

/** Walk positions: a revision index, or one of these. */
const BASE = -1;
const OVERWALK = -2;

/** `[label@][symbol](+|-)N`, as Alembic's `_relative_destination` (anchored at both ends). */
const RELATIVE = /^(?:(.+?)@)?(\w+)?([+-]\d+)$/;

const MULTIPLE_HEADS_HINT =
  "please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads";

function fail(message: string): never {
  throw new GraphError(message);
}

function cantLocate(ident: string, detail?: string): never {
  fail(`Can't locate revision identified by '${ident}'${detail ? ` (${detail})` : ""}`);
}

function didntProduce(relative: string): never {
  const n = Math.abs(Number.parseInt(relative, 10));
  fail(`Relative revision ${relative} didn't produce ${n} migrations`);
}

/** Insert into / remove from a sorted string array (in place). */
function sortedInsert(arr: string[], s: string): void {
  const i = lowerBound(arr, s);
  if (arr[i] !== s) arr.splice(i, 0, s);
}
function sortedRemove(arr: string[], s: string): void {
  const i = lowerBound(arr, s);
  if (arr[i] === s) arr.splice(i, 1);
}

interface DowngradeTarget {
  /** Branch restriction (`label@...`, or the row stepped down from for a bare `-N`). */
  label: string | undefined;
  /** Revision index or BASE. */
  rev: number;
}

export class RevisionGraph {
  readonly size: number;
  private readonly g: GraphData;
  private readonly headIdx: number[];
  private readonly realHeadIdx: number[];
  private readonly baseIdx: number[];
  private readonly lineageCache = new Map<string, Uint8Array>();

  private constructor(g: GraphData) {
    this.g = g;
    this.size = g.ids.length;
    this.headIdx = [];
    this.realHeadIdx = [];
    this.baseIdx = [];
    for (let i = 0; i < this.size; i++) {
      if (g.children[i]!.length === 0) this.headIdx.push(i);
      if (g.next[i]!.length === 0) this.realHeadIdx.push(i);
      if (g.parents[i]!.length === 0) this.baseIdx.push(i);
    }
  }

  /** Build and validate; headers come in file-name order. */
  static build(headers: RevisionHeader[]): RevisionGraph {
    return new RevisionGraph(buildGraphData(headers));
  }

  // ---------------------------------------------------------------- basic queries

  /** All revisions in file order. */
  revisions(): Revision[] {
    return this.g.revisions.slice();
  }

  /** The revision with exactly this full id. */
  get(id: string): Revision {
    const i = this.g.index.get(id);
    if (i === undefined) cantLocate(id);
    return this.g.revisions[i]!;
  }

  has(id: string): boolean {
    return this.g.index.has(id);
  }

  /** Versioned heads (no child through downRevision), effective heads included; file order. */
  heads(): string[] {
    return this.names(this.headIdx);
  }

  /** Heads that no revision depends on either. */
  realHeads(): string[] {
    return this.names(this.realHeadIdx);
  }

  /** Revisions without parents; file order. */
  bases(): string[] {
    return this.names(this.baseIdx);
  }

  /** Revisions with more than one versioned child; file order. */
  branchPoints(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.size; i++) if (this.g.children[i]!.length > 1) out.push(this.g.ids[i]!);
    return out;
  }

  /** Every revision, parents and dependencies before children (the reverse of `history()`). */
  topologicalOrder(): string[] {
    return this.names(this.newestFirst(new Uint8Array(this.size).fill(1)).reverse());
  }

  // ---------------------------------------------------------------- resolution

  /**
   * Resolve a non-relative symbol: full id, unique prefix of an id or label, branch label,
   * `head`, `heads`, `base`, `label@head`, `label@heads`, `label@base`, `label@REV`.
   */
  resolve(symbol: string): string[] {
    return this.names(this.resolveIdx(symbol));
  }

  // ---------------------------------------------------------------- rows and applied sets

  /** Rows plus all their ancestors through parents and dependencies. */
  appliedFromRows(rows: string[]): Set<string> {
    const mask = this.ancestorMask(this.rowIdx(rows));
    return new Set(this.names(this.maskToList(mask)));
  }

  /** Applied revisions that are not an ancestor of another applied revision; sorted. */
  rowsForApplied(applied: Set<string>): string[] {
    const idx = [...applied].map((id) => this.idxOf(id));
    // Everything strictly below an applied revision is covered.
    const covered = new Uint8Array(this.size);
    const stack: number[] = [];
    for (const i of idx) for (const p of this.g.prev[i]!) stack.push(p);
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (covered[x]) continue;
      covered[x] = 1;
      for (const p of this.g.prev[x]!) if (!covered[p]) stack.push(p);
    }
    return idx.filter((i) => !covered[i]).map((i) => this.g.ids[i]!).sort();
  }

  /** What `current` shows: applied revisions without an applied versioned child; file order. */
  currentHeads(rows: string[]): string[] {
    return this.names(this.currentHeadIdx(this.ancestorMask(this.rowIdx(rows))));
  }

  // ---------------------------------------------------------------- upgrade

  /** Steps of `upgrade TARGET` from the given version-table rows; parents before children. */
  planUpgrade(rows: string[], target: string): MigrationStep[] {
    const rowIdx = this.rowIdx(rows);
    const applied = this.ancestorMask(rowIdx);
    const targets = this.upgradeTargets(applied, target);
    this.checkOverlaps(targets);
    const needed = this.ancestorMask(targets);
    for (let i = 0; i < this.size; i++) if (applied[i]) needed[i] = 0;
    const order = this.newestFirst(needed).reverse();
    return this.steps(applied, order, "up");
  }

  // ---------------------------------------------------------------- downgrade

  /** Steps of `downgrade TARGET` from the given rows; children before parents. */
  planDowngrade(rows: string[], target: string): MigrationStep[] {
    const applied = this.ancestorMask(this.rowIdx(rows));
    const current = this.rowsIdxOfMask(applied);
    const { label, rev } = this.downgradeTarget(applied, current, target);

    let roots = rev === BASE ? this.baseIdx.slice() : this.g.children[rev]!.slice();
    if (label !== undefined && roots.length > 1) {
      const lineage = this.lineage(this.resolveBranch(label), false);
      roots = roots.filter((r) => lineage[r]);
      if (roots.length === 0) {
        fail(`Destination ${target} is not a valid downgrade target from current head(s)`);
      }
    }
    const drop = this.descendantMask(roots);
    let any = false;
    for (let i = 0; i < this.size; i++) {
      if (drop[i] && !applied[i]) drop[i] = 0;
      if (drop[i]) any = true;
    }
    if (rev !== BASE && !any && !current.includes(rev)) {
      fail(`Destination ${target} is not a valid downgrade target from current head(s)`);
    }
    return this.steps(applied, this.newestFirst(drop), "down");
  }

  // ---------------------------------------------------------------- offline

  /**
   * Plan for offline `--sql` runs, where the start is named instead of read from the database:
   * `start` must resolve to at most one revision (`base` = nothing applied).
   */
  planOffline(direction: "up" | "down", start: string, target: string): MigrationStep[] {
    const resolved = this.resolveIdx(start);
    if (resolved.length > 1) {
      fail(`Multiple head revisions are present for given argument '${start}'; ${MULTIPLE_HEADS_HINT} (${this.names(resolved).join(", ")})`);
    }
    const rows = this.names(resolved);
    return direction === "up" ? this.planUpgrade(rows, target) : this.planDowngrade(rows, target);
  }

  // ---------------------------------------------------------------- stamp

  /**
   * Rows after `stamp TARGETS` (Alembic's stamp algorithm); `purge` starts from no rows.
   * Returns the new rows, sorted.
   */
  planStamp(rows: string[], targets: string[], purge = false): string[] {
    const heads = purge ? [] : this.rowsIdxOfMask(this.ancestorMask(this.rowIdx(rows)));
    const symbols = targets.length === 0 ? ["base"] : targets;

    // Current rows in the lineage (through dependencies too) of each requested symbol.
    const filtered: number[] = [];
    for (const symbol of symbols) {
      const shares = this.lineageAnchors(symbol);
      for (const h of heads) {
        if (filtered.includes(h)) continue;
        if (shares.length === 0 || shares.some((s) => this.lineage(s, true)[h])) filtered.push(h);
      }
    }

    const dests: number[] = [];
    for (const symbol of symbols) {
      for (const d of this.resolveIdx(symbol)) if (!dests.includes(d)) dests.push(d);
    }
    this.checkOverlaps(dests);

    const result = new Set(heads);
    if (dests.length === 0) {
      for (const h of filtered) result.delete(h); // stamp base: drop the rows in the lineage
    }
    for (const dest of dests) {
      if (filtered.includes(dest)) continue; // already a row
      const lineage = this.lineage(dest, true);
      const from = filtered.filter((h) => lineage[h]);
      // Rows above (downgrade) or below (upgrade) dest collapse into a single dest row;
      // otherwise dest is on a branch not represented yet: a new row.
      for (const h of from) result.delete(h);
      result.add(dest);
    }
    return this.names([...result]).sort();
  }

  // ---------------------------------------------------------------- history

  /**
   * `history -r RANGE`, newest first. RANGE: `a:b`, `:b`, `a:`, `-3:`, `current:`, `:current`,
   * `a:+2`, `:a+1`, ...; undefined = everything. `rows` are the version-table rows for `current`.
   */
  history(range?: string, rows: string[] = []): Revision[] {
    if (range === undefined) {
      return this.newestFirst(new Uint8Array(this.size).fill(1)).map((i) => this.g.revisions[i]!);
    }
    const parts = range.trim().split(":");
    if (parts.length !== 2) fail("History range requires [start]:[end], [start]:, or :[end]");
    const lowerSym = parts[0]!.trim() || "base";
    const upperSym = parts[1]!.trim() || "heads";
    const current = () => this.rowsIdxOfMask(this.ancestorMask(this.rowIdx(rows)));

    // Lower end (the oldest revision shown; inclusive).
    let lower: number[];
    const lowerRel = this.relative(lowerSym);
    if (lowerSym === "current") lower = current();
    else if (lowerRel) lower = this.historyRelative(lowerRel, lowerSym, undefined);
    else lower = this.resolveIdx(lowerSym);

    // Upper end (targets whose ancestry is shown).
    let targets: number[];
    const upperRel = this.relative(upperSym);
    if (upperSym === "current") targets = current();
    else if (upperRel) targets = this.historyRelative(upperRel, upperSym, lower);
    else targets = this.resolveIdx(upperSym);

    // `label@...` as the lower end restricts the upper targets to that branch.
    const at = lowerSym.indexOf("@");
    if (at > 0 && lowerSym !== "current") {
      const branch = lowerSym.slice(0, at);
      const label = this.g.labelIndex.has(branch) ? branch : undefined;
      if (label !== undefined) {
        targets = targets.filter((t) => this.g.revisions[t]!.labels.includes(label));
      } else {
        const lineage = this.lineage(this.resolveBranch(branch), false);
        targets = targets.filter((t) => lineage[t]);
      }
    }

    this.checkOverlaps(targets);
    const required = this.ancestorMask(targets);
    if (lower.some((l) => !required[l])) {
      fail(
        `Requested range ${lowerSym}:${upperSym} does not refer to ancestor/descendant revisions along the same branch`,
      );
    }
    const shown = required;
    if (lower.length > 0) {
      // Keep what descends from the lower end (versioned), dropping its strict ancestors.
      const below = this.ancestorMask(lower.flatMap((l) => this.g.prev[l]!));
      const above = this.descendantMask(lower, false);
      for (let i = 0; i < this.size; i++) if (!above[i] || below[i]) shown[i] = 0;
      for (const l of lower) shown[l] = 1; // inclusive
    }
    return this.newestFirst(shown).map((i) => this.g.revisions[i]!);
  }

  // ================================================================ internals

  private names(idx: readonly number[]): string[] {
    return idx.map((i) => this.g.ids[i]!);
  }

  private idxOf(id: string): number {
    const i = this.g.index.get(id);
    if (i === undefined) cantLocate(id);
    return i;
  }

  /** Version-table rows -> indices (exact ids; duplicates dropped). */
  private rowIdx(rows: readonly string[]): number[] {
    const out: number[] = [];
    for (const r of rows) {
      const i = this.idxOf(r);
      if (!out.includes(i)) out.push(i);
    }
    return out;
  }

  private maskToList(mask: Uint8Array): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) if (mask[i]) out.push(i);
    return out;
  }

  /** Rows of an ancestor-closed applied set: members without an applied child or dependent. */
  private rowsIdxOfMask(applied: Uint8Array): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) {
      if (applied[i] && !this.g.next[i]!.some((x) => applied[x])) out.push(i);
    }
    return out;
  }

  /** Applied revisions with no applied versioned child (what `current` shows). */
  private currentHeadIdx(applied: Uint8Array): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) {
      if (applied[i] && !this.g.children[i]!.some((x) => applied[x])) out.push(i);
    }
    return out;
  }

  /** The starts and all their ancestors (through parents, and dependencies unless told not to). */
  private ancestorMask(starts: readonly number[], viaDeps = true): Uint8Array {
    return this.closure(starts, viaDeps ? this.g.prev : this.g.parents);
  }

  /** The starts and all their descendants (through children, and dependents unless told not to). */
  private descendantMask(starts: readonly number[], viaDeps = true): Uint8Array {
    return this.closure(starts, viaDeps ? this.g.next : this.g.children);
  }

  private closure(starts: readonly number[], edges: number[][]): Uint8Array {
    const mask = new Uint8Array(this.size);
    const stack: number[] = [];
    for (const s of starts) {
      if (!mask[s]) {
        mask[s] = 1;
        stack.push(s);
      }
    }
    while (stack.length > 0) {
      const x = stack.pop()!;
      for (const y of edges[x]!) {
        if (!mask[y]) {
          mask[y] = 1;
          stack.push(y);
        }
      }
    }
    return mask;
  }

  /** Ancestors and descendants of `i`, `i` included (Alembic's `_shares_lineage`). Cached. */
  private lineage(i: number, viaDeps: boolean): Uint8Array {
    const key = `${i}:${viaDeps ? 1 : 0}`;
    let mask = this.lineageCache.get(key);
    if (mask === undefined) {
      mask = this.ancestorMask([i], viaDeps);
      const d = this.descendantMask([i], viaDeps);
      for (let k = 0; k < this.size; k++) if (d[k]) mask[k] = 1;
      if (this.lineageCache.size >= 256) this.lineageCache.clear(); // bound memory on huge graphs
      this.lineageCache.set(key, mask);
    }
    return mask;
  }

  /**
   * Newest-first order of the revisions in `set`: a revision comes after every revision of the set
   * that descends from it (child or dependent). Depth-first per branch like Alembic's walk: start
   * at the first head in file order, go down its branch, and switch to another pending branch as
   * soon as the next revision still has unvisited descendants.
   */
  private newestFirst(set: Uint8Array): number[] {
    const { next, prev } = this.g;
    const pending = new Int32Array(this.size);
    const ready: number[] = [];
    for (let i = 0; i < this.size; i++) {
      if (!set[i]) continue;
      let c = 0;
      for (const x of next[i]!) if (set[x]) c++;
      pending[i] = c;
      if (c === 0) ready.push(i);
    }
    ready.reverse(); // stack: first in file order on top
    const out: number[] = [];
    while (ready.length > 0) {
      const x = ready.pop()!;
      out.push(x);
      const ps = prev[x]!;
      for (let k = ps.length - 1; k >= 0; k--) {
        const p = ps[k]!;
        if (set[p] && --pending[p]! === 0) ready.push(p);
      }
    }
    return out;
  }

  /** Apply `order` to the applied set one revision at a time, recording rows before/after. */
  private steps(applied: Uint8Array, order: number[], direction: "up" | "down"): MigrationStep[] {
    const { prev, next, ids } = this.g;
    const live = applied.slice();
    // Number of applied children/dependents of each revision; rows are applied ones with 0.
    const above = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) {
      if (!live[i]) continue;
      for (const x of next[i]!) if (live[x]) above[i]!++;
    }
    let rows = this.rowsIdxOfMask(live).map((i) => ids[i]!).sort();
    const out: MigrationStep[] = [];
    for (const x of order) {
      const after = rows.slice();
      if (direction === "up") {
        for (const p of prev[x]!) if (above[p]!++ === 0) sortedRemove(after, ids[p]!);
        sortedInsert(after, ids[x]!);
        live[x] = 1;
      } else {
        sortedRemove(after, ids[x]!);
        live[x] = 0;
        for (const p of prev[x]!) if (--above[p]! === 0 && live[p]) sortedInsert(after, ids[p]!);
      }
      out.push({ revision: this.g.revisions[x]!, direction, rowsBefore: rows, rowsAfter: after });
      rows = after;
    }
    return out;
  }

  /** Error when one requested revision is an ancestor of another. */
  private checkOverlaps(targets: readonly number[]): void {
    if (targets.length < 2) return;
    const starts: number[] = [];
    for (const t of targets) starts.push(...this.g.prev[t]!);
    const below = this.ancestorMask(starts);
    if (!targets.some((t) => below[t])) return;
    for (const t of targets) {
      const mine = this.ancestorMask(this.g.prev[t]!);
      const overlaps = targets.filter((o) => o !== t && mine[o]);
      if (overlaps.length > 0) {
        fail(
          `Requested revision ${this.g.ids[t]} overlaps with other requested revisions ${this.names(overlaps).join(", ")}`,
        );
      }
    }
  }

  // ---------------------------------------------------------------- symbol resolution

  private multipleHeads(argument: string, heads: readonly number[]): never {
    fail(
      `Multiple head revisions are present for given argument '${argument}'; ${MULTIPLE_HEADS_HINT} (${this.names(heads).join(", ")})`,
    );
  }

  /** The revision with this exact id, or declaring this exact branch label. */
  private lookupKey(key: string): number | undefined {
    return this.g.index.get(key) ?? this.g.labelIndex.get(key);
  }

  /** "ambiguous: matches a, b, c" (at most 10 named). */
  private ambiguous(matches: readonly number[]): string {
    const shown = this.names(matches.slice(0, 10)).join(", ");
    return `ambiguous: matches ${shown}${matches.length > 10 ? `, ... (${matches.length} in all)` : ""}`;
  }

  /** Revisions whose id, or one of whose declared labels, starts with `prefix`. */
  private prefixMatches(prefix: string): number[] {
    const out = new Set<number>();
    for (const k of keysWithPrefix(this.g.keys(), prefix)) out.add(this.lookupKey(k)!);
    return [...out];
  }

  /** The part before `@`: a branch label, a revision id, or a unique prefix of either. */
  private resolveBranch(branch: string): number {
    const exact = this.lookupKey(branch);
    if (exact !== undefined) return exact;
    const matches = branch === "" ? [] : this.prefixMatches(branch);
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) cantLocate(branch, this.ambiguous(matches));
    cantLocate(branch, `no such branch: '${branch}'`);
  }

  /** A revision id, label or unique prefix, optionally within a branch's lineage. */
  private revForIdent(ident: string, branch?: string): number {
    const branchRev = branch === undefined ? undefined : this.resolveBranch(branch);
    const lineage = branchRev === undefined ? undefined : this.lineage(branchRev, false);
    let rev = this.lookupKey(ident);
    if (rev === undefined) {
      let matches = ident === "" ? [] : this.prefixMatches(ident);
      if (lineage !== undefined) matches = matches.filter((m) => lineage[m]);
      if (matches.length === 0) cantLocate(ident);
      if (matches.length > 1) {
        cantLocate(ident, this.ambiguous(matches));
      }
      rev = matches[0]!;
    }
    if (lineage !== undefined && !lineage[rev]) {
      cantLocate(ident, `revision ${this.g.ids[rev]} is not a member of branch '${branch}'`);
    }
    return rev;
  }

  private filterLineage(revs: readonly number[], branch: string): number[] {
    const lineage = this.lineage(this.resolveBranch(branch), false);
    return revs.filter((r) => lineage[r]);
  }

  /** Alembic's get_revisions() for one non-relative symbol. */
  private resolveIdx(symbol: string): number[] {
    const at = symbol.indexOf("@");
    const branch = at > 0 ? symbol.slice(0, at) : undefined; // "@x" is "x", as in Alembic
    const ident = at >= 0 ? symbol.slice(at + 1) : symbol;
    if (ident === "heads") {
      return branch === undefined ? this.realHeadIdx.slice() : this.filterLineage(this.headIdx, branch);
    }
    if (ident === "head") {
      const heads = branch === undefined ? this.headIdx : this.filterLineage(this.headIdx, branch);
      if (heads.length > 1) this.multipleHeads(symbol, heads);
      return heads.slice();
    }
    if (ident === "base" || ident === "") {
      if (branch !== undefined) this.resolveBranch(branch); // validate the label
      return [];
    }
    return [this.revForIdent(ident, branch)];
  }

  /** A symbol that must name at most one revision; BASE when it names none. */
  private resolveSingle(symbol: string): number {
    const revs = this.resolveIdx(symbol);
    if (revs.length > 1) this.multipleHeads(symbol, revs);
    return revs[0] ?? BASE;
  }

  /** Revisions a stamp symbol is checked against for lineage (Alembic's filter_for_lineage). */
  private lineageAnchors(symbol: string): number[] {
    const at = symbol.indexOf("@");
    const branch = at > 0 ? symbol.slice(0, at) : undefined;
    const ident = at >= 0 ? symbol.slice(at + 1) : symbol;
    const out: number[] = [];
    if (branch !== undefined) out.push(this.resolveBranch(branch));
    if (ident === "heads" || ident === "head") out.push(...this.resolveIdx(symbol));
    else if (ident !== "base" && ident !== "") out.push(this.revForIdent(ident));
    return out;
  }

  // ---------------------------------------------------------------- relative walks

  /**
   * Parse `[label@][symbol](+|-)N`; null for absolute symbols. A branch label that itself looks
   * relative (`release-2`, `x@release-2`) names the label, not a walk.
   */
  private relative(target: string): RegExpExecArray | null {
    const m = RELATIVE.exec(target);
    if (m === null) return null;
    const ident = target.slice(target.indexOf("@") + 1);
    return this.g.labelIndex.has(ident) || this.g.labelIndex.has(target) ? null : m;
  }

  /**
   * Walk `steps` up (children) or down (parents) from `start` (an index or BASE). Upward walks
   * are restricted to the lineage of `branch` when given. Past the end: OVERWALK, or the last
   * position reached when `clamp`. More than one way to go: "Ambiguous walk".
   */
  private walk(start: number, steps: number, branch: string | undefined, clamp: boolean): number {
    const lineage = branch === undefined ? undefined : this.lineage(this.resolveBranch(branch), false);
    let cur = start;
    for (let k = 0; k < Math.abs(steps); k++) {
      let cands: number[];
      if (steps > 0) {
        cands = cur === BASE ? this.baseIdx : this.g.children[cur]!;
        if (lineage !== undefined) cands = cands.filter((c) => lineage[c]);
      } else if (cur === BASE) {
        cands = [];
      } else {
        cands = this.g.parents[cur]!;
        if (cands.length === 0) cands = [BASE];
      }
      if (cands.length === 0) return clamp ? cur : OVERWALK;
      if (cands.length > 1) {
        const list = this.names(cands).join(", ");
        if (cur === BASE) fail(`Ambiguous walk: there are several bases (${list})`);
        const what = steps > 0 ? "children" : "parents";
        fail(`Ambiguous walk: ${this.g.ids[cur]} has several ${what} (${list})`);
      }
      cur = cands[0]!;
    }
    return cur;
  }

  /** Alembic's _parse_upgrade_target. */
  private upgradeTargets(applied: Uint8Array, target: string): number[] {
    const m = this.relative(target);
    if (!m) return this.resolveIdx(target);
    const branch = m[1];
    const symbol = m[2];
    const relative = m[3]!;
    const n = Number.parseInt(relative, 10);
    let rev: number;
    if (n > 0 && symbol === undefined) {
      // Relative to the current rows.
      let starts = this.rowsIdxOfMask(applied);
      if (branch !== undefined) {
        const lineage = this.lineage(this.resolveBranch(branch), false);
        starts = starts.filter((s) => lineage[s]);
        if (starts.length === 0) {
          // The branch is not at a row: continue from the tips of its applied part, or from base.
          const active = this.maskToList(applied).filter((a) => lineage[a]);
          const inActive = new Uint8Array(this.size);
          for (const a of active) inActive[a] = 1;
          starts = active.filter((a) => !this.g.next[a]!.some((x) => inActive[x]));
        }
      }
      if (starts.length > 1) fail("Ambiguous upgrade from multiple current revisions");
      rev = this.walk(starts[0] ?? BASE, n, branch, false);
    } else if (symbol === undefined) {
      didntProduce(relative); // upgrade -N
    } else {
      const start = this.resolveSingle(branch === undefined ? symbol : `${branch}@${symbol}`);
      rev = this.walk(start, n, n > 0 ? branch : undefined, false);
    }
    if (rev === OVERWALK) didntProduce(relative);
    return rev === BASE ? [] : [rev];
  }

  /** Alembic's _parse_downgrade_target. */
  private downgradeTarget(applied: Uint8Array, current: number[], target: string): DowngradeTarget {
    const m = this.relative(target);
    if (!m) {
      const at = target.indexOf("@");
      const label = at > 0 ? target.slice(0, at) : undefined;
      return { label, rev: this.resolveSingle(target) };
    }
    let label = m[1];
    const symbol = m[2];
    const relative = m[3]!;
    const n = Number.parseInt(relative, 10);
    if (n >= 0) {
      if (symbol === undefined) didntProduce(relative); // downgrade +N
      const start = this.resolveSingle(label === undefined ? symbol : `${label}@${symbol}`);
      const rev = this.walk(start, n, label, false);
      if (rev === OVERWALK) fail("Walked too far");
      return { label, rev };
    }
    let start: number;
    if (symbol === undefined) {
      if (label !== undefined) {
        const lineage = this.lineage(this.resolveBranch(label), false);
        let onBranch = current.filter((c) => lineage[c]);
        if (onBranch.length === 0) onBranch = this.currentHeadIdx(applied).filter((c) => lineage[c]);
        if (onBranch.length === 0) didntProduce(relative);
        if (onBranch.length > 1) {
          fail(
            `Relative downgrade ${target} is ambiguous: several current revisions are on branch '${label}' (${this.names(onBranch).join(", ")}); downgrade to a specific revision instead`,
          );
        }
        start = onBranch[0]!;
      } else {
        if (current.length === 0) didntProduce(relative);
        if (current.length > 1) {
          fail(
            `Relative downgrade ${target} is ambiguous with several current revisions (${this.names(current).join(", ")}); name the branch (<branchname>@${relative}) or a revision (<rev>${relative})`,
          );
        }
        start = current[0]!;
        label = this.g.ids[start]; // restrict to the branch of that row
      }
    } else {
      start = this.resolveSingle(label === undefined ? symbol : `${label}@${symbol}`);
    }
    const rev = this.walk(start, n, undefined, false);
    if (rev === OVERWALK) {
      if (symbol === undefined) didntProduce(relative);
      fail("Walked too far");
    }
    return { label, rev };
  }

  /** A relative end of a history range; never errors on overshoot (clamps). */
  private historyRelative(m: RegExpExecArray, text: string, lower: number[] | undefined): number[] {
    const branch = m[1];
    const symbol = m[2];
    const relative = m[3]!;
    const n = Number.parseInt(relative, 10);
    let start: number;
    if (symbol !== undefined) {
      start = this.resolveSingle(branch === undefined ? symbol : `${branch}@${symbol}`);
    } else if (lower !== undefined) {
      // Upper end `+N`: relative to the lower end.
      if (n <= 0) didntProduce(relative);
      if (lower.length > 1) fail("Ambiguous upgrade from multiple current revisions");
      start = lower[0] ?? BASE;
    } else {
      // Lower end `-N` / `label@-N`: relative to the heads (of the branch).
      let heads = this.realHeadIdx;
      if (branch !== undefined) {
        this.resolveBranch(branch);
        heads = this.headIdx.filter((h) => this.g.revisions[h]!.labels.includes(branch));
        if (heads.length === 0) heads = this.filterLineage(this.headIdx, branch);
      }
      if (n > 0) cantLocate(text);
      if (heads.length === 0) return [];
      if (heads.length > 1) {
        fail(
          `Relative revision ${text} is ambiguous with several heads (${this.names(heads).join(", ")}); use <branchname>@${relative} or a revision`,
        );
      }
      start = heads[0]!;
    }
    const rev = this.walk(start, n, n > 0 ? branch : undefined, true);
    return rev < 0 ? [] : [rev];
  }
}
