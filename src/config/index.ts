export * from "./types.js";
export * from "./url.js";
export * from "./load.js";
