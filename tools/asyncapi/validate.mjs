// Validate an AsyncAPI document with the official parser (@asyncapi/parser).
// Prints one JSON line per diagnostic, then a summary line; exits 1 on any error.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { Parser } from "@asyncapi/parser";

const SEVERITY = ["error", "warning", "information", "hint"];

const path = resolve(process.argv[2] ?? "../../docs/asyncapi.yaml");
const parser = new Parser();
const { document, diagnostics } = await parser.parse(await readFile(path, "utf8"), {
  source: path,
});
let errors = 0;
let warnings = 0;
for (const d of diagnostics) {
  const severity = SEVERITY[d.severity] ?? String(d.severity);
  if (severity === "error") errors += 1;
  if (severity === "warning") warnings += 1;
  const where = (d.path ?? []).join(".");
  console.log(JSON.stringify({ severity, code: d.code, message: d.message, path: where }));
}
if (document === undefined && errors === 0) errors += 1; // no document: never a pass
console.log(`${errors} error(s), ${warnings} warning(s) in ${path}`);
process.exit(errors > 0 ? 1 : 0);
