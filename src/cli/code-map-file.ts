/**
 * `--code-map <file>`: the institution's local codes, in the format the app reads from its configuration
 * (`parseCodeMap`, src/fhir/README.md). A file that cannot be read or is not a valid code map stops the review before
 * anything is written: a review that silently ignored a site's local codes would report its patients as untested.
 */
import { readFileSync } from "node:fs";
import { parseCodeMap, type CodeMap } from "../fhir/code-map";
import { errorMessage, UsageError } from "./diagnostics";
import { cliText } from "./messages";

/**
 * Reads and validates a code map file.
 * @throws UsageError naming the file and what is wrong.
 */
export function readCodeMapFile(path: string): CodeMap {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(cliText("usage.codeMapUnreadable", { path, error: errorMessage(error) }));
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new UsageError(cliText("usage.codeMapNotJson", { path, error: errorMessage(error) }));
  }
  try {
    return parseCodeMap(json);
  } catch (error) {
    // The FHIR layer's own words for what is wrong (src/fhir/code-map.ts), shown as they are.
    throw new UsageError(cliText("usage.codeMapInvalid", { path, error: errorMessage(error) }));
  }
}
