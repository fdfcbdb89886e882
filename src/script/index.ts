/** The script folder: revision files, their headers, templates, `init`. */
export { ScriptError } from "./errors.js";
export { readRevisionHeader, parseDocstring, type ParsedDocstring } from "./header.js";
export {
  listRevisionFiles,
  readRevisionHeaders,
  loadRevisionModule,
  importTypeScript,
  packageEntryPath,
  type ListRevisionFilesOptions,
  type RevisionModule,
} from "./versions.js";
export {
  templatesRoot,
  listTemplates,
  readTemplate,
  renderTemplate,
  SCRIPT_TEMPLATE_FILE,
  CONFIG_TEMPLATE_FILE,
  type TemplateInfo,
  type TemplateSet,
} from "./templates.js";
export { initProject, CONFIG_FILE, type InitOptions, type InitResult } from "./init.js";
export {
  writeRevisionFile,
  renderRevisionFile,
  revisionFileName,
  scriptTemplateVars,
  generateRevisionId,
  validateRevisionId,
  slugify,
  formatCreateDate,
  DEFAULT_FILE_TEMPLATE,
  DEFAULT_TRUNCATE_SLUG_LENGTH,
  type WriteRevisionOptions,
} from "./write.js";
