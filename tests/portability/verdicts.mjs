// Verdicts of two JavaScript JSON Schema implementations on a batch of cases.
//
// Reads a JSON file {"schemas": [schema, ...], "cases": [[schemaId, instance], ...]}
// named on the command line and prints {"ajv": [bool...], "hyperjump": [bool...]}.
// ajv runs in its default strict mode, with formats asserted by ajv-formats and
// hsdata's keywords declared as a vocabulary, as the documentation tells users to.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { registerSchema, validate } from "@hyperjump/json-schema/draft-2020-12";

const batch = JSON.parse(readFileSync(process.argv[2], "utf8"));

const ajv = new Ajv2020(); // its default strict mode: unknown keywords refuse to compile
addFormats(ajv);
ajv.addVocabulary(["version", "codelist", "openCodelist", "recordRef"]);
for (const schema of batch.schemas) {
  ajv.addSchema(schema);
  registerSchema(schema);
}

const ajvVerdicts = [];
const hyperjumpVerdicts = [];
const compiled = new Map();
for (const [schemaId, instance] of batch.cases) {
  if (!compiled.has(schemaId)) {
    const check = ajv.getSchema(schemaId);
    if (check === undefined) throw new Error(`ajv does not know ${schemaId}`);
    compiled.set(schemaId, check);
  }
  ajvVerdicts.push(compiled.get(schemaId)(instance) === true);
  const output = await validate(schemaId, instance);
  hyperjumpVerdicts.push(output.valid === true);
}
process.stdout.write(JSON.stringify({ ajv: ajvVerdicts, hyperjump: hyperjumpVerdicts }));
