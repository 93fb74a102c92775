/**
 * Why an export stopped, as a message in the CLI's locale. The Bulk Data client words its errors in English
 * (src/bulk); where it also gives the facts (`BulkError.facts`: the request, its URL, the group, the server's own
 * words), another locale gets the sentence in its language around those facts, as they came. English stays the
 * client's own message, byte for byte; an error without facts is shown as it is.
 */
import { BulkError } from "../bulk/errors";
import { type CliText, cliText } from "./messages";

/** The stopped export's reason: `english` is the error's own message. */
export function exportErrorText(error: unknown): CliText {
  const english = error instanceof Error ? error.message : String(error);
  const facts = error instanceof BulkError ? error.facts : undefined;
  const said = (text: string, id: "export.said" | "export.tokenSaid"): CliText | string =>
    text === "" ? "" : cliText(id, { text });
  let text: CliText;
  switch (facts?.what) {
    case undefined:
      // Words that are not the client's (a file system error, say): as they are.
      return cliText("text.plain", { text: english });
    case "http": {
      const request = cliText(facts.request === "kick-off" ? "export.kickOff" : "export.statusRequest", {
        url: facts.url,
      });
      const values = { request, said: said(facts.said, "export.said") };
      const status = error instanceof BulkError ? (error.status ?? 0) : 0;
      if (status === 401) text = cliText("export.http401", values);
      else if (status === 403) text = cliText("export.http403", values);
      else if (status === 404 && facts.group !== undefined)
        text = cliText("export.http404Group", { ...values, group: facts.group });
      else if (status === 404) text = cliText("export.http404", values);
      else text = cliText("export.httpFailed", { ...values, status: String(status) });
      break;
    }
    case "token-refused":
      text = cliText("export.tokenRefused", {
        url: facts.url,
        client: facts.client,
        status: String(facts.status),
        said: said(facts.said, "export.tokenSaid"),
      });
      break;
    case "timeout":
      text = cliText("export.timeout", { duration: facts.duration });
      break;
    case "no-manifest":
      text = cliText("export.noManifest", { url: facts.url });
      break;
    case "unreachable":
      text = cliText("export.unreachable", { url: facts.url, error: facts.error });
      break;
    case "no-signing-key":
      text = cliText("export.noSigningKey");
      break;
    case "key-unusable":
      text = cliText("export.keyUnusable", { error: facts.error });
      break;
    case "no-token-endpoint":
      text = cliText("export.noTokenEndpoint", { url: facts.url, status: String(facts.status) });
      break;
    case "token-unreachable":
      text = cliText("export.tokenUnreachable", { url: facts.url, error: facts.error });
      break;
  }
  return { ...text, english };
}
