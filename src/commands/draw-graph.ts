import type { Revision } from "../graph/types.js";

/**
 * Draw the revision graph as text, newest first, one lane per open branch (like `git log --graph`).
 * `revisions` must be in history order (every revision before its parents); `label` renders the text
 * after the node mark.
 */
export function drawGraph(revisions: readonly Revision[], label: (rev: Revision) => string): string[] {
  const out: string[] = [];
  // Each lane waits for the revision id it will reach next.
  let lanes: string[] = [];
  for (const rev of revisions) {
    let col = lanes.indexOf(rev.revision);
    if (col < 0) {
      lanes.push(rev.revision);
      col = lanes.length - 1;
    }
    out.push(`${lanes.map((_, i) => (i === col ? "*" : "|")).join(" ")}  ${label(rev)}`.trimEnd());

    // Other lanes that were also waiting for this revision join it here (a branch point seen from above).
    const joining = lanes.map((id, i) => (id === rev.revision && i !== col ? i : -1)).filter((i) => i >= 0);
    if (joining.length) {
      out.push(joinLine(lanes.length, col, joining));
      lanes = lanes.filter((_, i) => !joining.includes(i));
    }

    const parents = rev.parents;
    if (parents.length === 0) {
      lanes.splice(col, 1);
      continue;
    }
    // Parents already waited for by another lane are reached through that lane.
    const fresh = parents.filter((p) => !lanes.includes(p) || p === parents[0]);
    lanes[col] = fresh[0] ?? parents[0]!;
    const extra = fresh.slice(1);
    if (extra.length) {
      lanes.splice(col + 1, 0, ...extra);
      out.push(splitLine(lanes.length, col, extra.length));
    }
  }
  return out;
}

/** `| |/` : lanes in `joining` bend back into `col`. */
function joinLine(width: number, col: number, joining: number[]): string {
  const cells: string[] = [];
  for (let i = 0; i < width; i++) {
    if (joining.includes(i)) cells.push(i > col ? "/" : "\\");
    else cells.push("|");
  }
  return cells.join(" ").trimEnd();
}

/** `|\` : a merge opens `count` new lanes to the right of `col`. */
function splitLine(width: number, col: number, count: number): string {
  const cells: string[] = [];
  for (let i = 0; i < width; i++) cells.push(i > col && i <= col + count ? "\\" : "|");
  return cells.join(" ").trimEnd();
}
