export * from "./types.js";
export { RevisionGraph } from "./revision-graph.js";
