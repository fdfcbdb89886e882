import { renderOperationCall } from "../src/autogenerate/render.js";
import { alterColumnOp } from "../src/operations/build.js";
import { sa } from "../src/schema/index.js";
console.log(renderOperationCall(alterColumnOp("books", "title", { type: sa.string(300), existingType: sa.string(200), existingNullable: false })));
