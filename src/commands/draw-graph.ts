import type { Revision } from "../graph/types.js";

/**
 * Draw the revision graph as text, newest first, one lane per open branch (like `git log --graph`).
 * `revisions` must be in history order (every revision before its parents); `label` renders the text
 * after the node mark. Lanes sit on even columns, connectors (`/`, `\`) on odd ones.
 */
export function drawGraph(revisions: readonly Revision[], label: (rev: Revision) => string): string[] {
  const out: string[] = [];
  // Each lane waits for the revision id it reaches next.
  let lanes: string[] = [];
  for (const rev of revisions) {
    let col = lanes.indexOf(rev.revision);
    if (col < 0) {
      lanes.push(rev.revision);
      col = lanes.length - 1;
    }
    // Other lanes waiting for this revision bend into its lane first (a branch point seen from above).
    const joining = lanes.flatMap((id, i) => (id === rev.revision && i !== col ? [i] : []));
    if (joining.length) {
      out.push(joinLine(lanes.length, joining));
      lanes = lanes.filter((_, i) => !joining.includes(i));
    }
    out.push(`${render(lanes.map((_, i) => (i === col ? "*" : "|")))}  ${label(rev)}`);

    const parents = rev.parents;
    if (parents.length === 0) {
      lanes.splice(col, 1);
      continue;
    }
    lanes[col] = parents[0]!;
    // Further parents of a merge open lanes to the right, unless a lane already waits for them.
    const extra = parents.slice(1).filter((p) => !lanes.includes(p));
    if (extra.length) {
      lanes.splice(col + 1, 0, ...extra);
      out.push(splitLine(lanes.length, col));
    }
  }
  return out;
}

/** Lanes in `joining` (and every lane right of them) move one lane left: `|/`, `| |/`, `|/ /`. */
function joinLine(width: number, joining: number[]): string {
  const cells = new Array<string>(2 * width).fill(" ");
  const first = Math.min(...joining);
  for (let i = 0; i < width; i++) {
    if (i < first) cells[2 * i] = "|";
    else if (joining.includes(i) || i > first) cells[2 * i - 1] = "/";
  }
  return cells.join("").trimEnd();
}

/** A merge opens lanes right of `col`; lanes further right move over: `|\`, `|\ \`. */
function splitLine(width: number, col: number): string {
  const cells = new Array<string>(2 * width).fill(" ");
  for (let i = 0; i < width; i++) {
    if (i <= col) cells[2 * i] = "|";
    else cells[2 * i - 1] = "\\";
  }
  return cells.join("").trimEnd();
}

function render(marks: string[]): string {
  return marks.join(" ");
}
