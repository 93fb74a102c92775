import {
  APP_LAUNCH_PATH,
  AUTHORIZE_PATH,
  FHIR_BASE_PATH,
  REGISTERED_CLIENT_IDS,
  TOKEN_PATH,
} from "./config.ts";
import { FAILURE_DESCRIPTIONS } from "./failures.ts";
import { escapeHtml as h } from "./http.ts";
import type { ManifestPatient } from "./manifest.ts";

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem; color: #1a1a1a; }
  table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #bbb; padding: .35rem .5rem; text-align: left; vertical-align: top; }
  th { background: #eef; } code { background: #f3f3f3; padding: 0 .2rem; } .flags { font-size: .9em; }
  a:focus, button:focus, input:focus, select:focus { outline: 3px solid #1a56db; outline-offset: 2px; }
  button { font: inherit; padding: .4rem 1rem; margin-right: .5rem; } fieldset { margin: 1rem 0; }
  .error { color: #a00; font-weight: bold; }
  .card { border: 1px solid #bbb; border-left: 6px solid #1a56db; padding: .5rem 1rem; margin: 1rem 0; }
  .card.warning { border-left-color: #b35c00; } .card.critical { border-left-color: #a00; }
  .card pre { white-space: pre-wrap; font: inherit; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }`;

/** A sandbox page: the shared head and style around `body` (also used by cds.ts). */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${h(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

/** A plain error page, for errors that must not be redirected (unknown client, foreign redirect URI). */
export function errorPage(title: string, message: string): string {
  return page(
    title,
    `<h1>${h(title)}</h1><p role="alert">${h(message)}</p><p><a href="/sandbox/">Back to the sandbox</a></p>`,
  );
}

/**
 * The standalone-launch patient picker at `/auth/authorize`: choose a patient and allow, or deny.
 * The original authorize parameters ride along as hidden fields.
 */
export function patientPickerPage(
  params: Record<string, string>,
  patients: readonly ManifestPatient[],
  error?: string,
): string {
  const hidden = Object.entries(params)
    .filter(([name]) => name !== "patient" && name !== "decision")
    .map(([name, value]) => `<input type="hidden" name="${h(name)}" value="${h(value)}">`)
    .join("\n");
  const options = patients
    .map(
      (
        p,
        i,
      ) => `<div><input type="radio" name="patient" id="patient-${i}" value="${h(p.id)}"${i === 0 ? " required" : ""}>
<label for="patient-${i}">${h(p.name)} (born ${h(p.birthDate)}), <code>${h(p.id)}</code>: ${h(p.scenario)}</label></div>`,
    )
    .join("\n");
  return page(
    "Sandbox sign-in: choose a patient",
    `<h1>Sandbox sign-in: choose a patient</h1>
<p>The app <code>${h(params.client_id ?? "")}</code> asks for: <code>${h(params.scope ?? "")}</code></p>
${error === undefined ? "" : `<p class="error" role="alert">${h(error)}</p>`}
<form method="post" action="${AUTHORIZE_PATH}">
${hidden}
<fieldset><legend>Patient</legend>
${options}
</fieldset>
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
</form>`,
  );
}

/** Inputs of the sandbox home page. */
export interface HomePageModel {
  readonly origin: string;
  readonly patients: readonly ManifestPatient[];
  /** The one-click EHR launch URL of a patient, without faults. */
  readonly launchUrl: (patientId: string) => string;
}

/** `/sandbox/`: endpoints, the patient table with EHR-launch links, fault injection and standalone launch. */
export function sandboxHomePage(model: HomePageModel): string {
  const iss = `${model.origin}${FHIR_BASE_PATH}`;
  const rows = model.patients
    .map((p) => {
      const e = p.expected;
      return `<tr><td><code>${h(p.id)}</code></td><td>${h(p.name)}<br>born ${h(p.birthDate)}</td><td>${h(p.scenario)}</td>
<td>${h(e.status)} / ${h(e.category)} / ${h(e.setting)}<div class="flags">${e.flags.length === 0 ? "no flags" : e.flags.map((f) => `<code>${h(f)}</code>`).join(" ")}</div></td>
<td><a href="${h(model.launchUrl(p.id))}">EHR launch<span class="visually-hidden"> ${h(p.name)}</span></a>
<br><a href="/sandbox/cds-view?patient=${encodeURIComponent(p.id)}">CDS cards<span class="visually-hidden"> ${h(p.name)}</span></a></td></tr>`;
    })
    .join("\n");
  const patientOptions = model.patients
    .map((p) => `<option value="${h(p.id)}">${h(p.name)} (${h(p.id)})</option>`)
    .join("");
  const failures = FAILURE_DESCRIPTIONS.map((f) => `<li><code>${h(f.code)}</code>: ${h(f.effect)}</li>`).join(
    "\n",
  );
  return page(
    "HER2 SMART sandbox",
    `<h1>HER2 SMART sandbox</h1>
<p>An offline SMART on FHIR R4 server with synthetic breast-cancer patients, for the app at <a href="/">${h(model.origin)}/</a>.</p>
<h2>Endpoints</h2>
<ul>
<li>FHIR base (<code>iss</code>): <code>${h(iss)}</code> (<a href="${FHIR_BASE_PATH}/metadata">metadata</a>,
<a href="${FHIR_BASE_PATH}/.well-known/smart-configuration">smart-configuration</a>)</li>
<li>Authorize: <code>${h(model.origin + AUTHORIZE_PATH)}</code>; token: <code>${h(model.origin + TOKEN_PATH)}</code></li>
<li>Registered public clients: ${REGISTERED_CLIENT_IDS.map((c) => `<code>${h(c)}</code>`).join(", ")}; PKCE S256 required.</li>
</ul>
<h2>Patients</h2>
<table><caption>Synthetic patients and what the HER2 rules should conclude (status / category / setting, flags)</caption>
<thead><tr><th scope="col">Id</th><th scope="col">Name</th><th scope="col">Scenario</th><th scope="col">Expected</th><th scope="col">Launch</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<h2>Standalone launch</h2>
<p>Open <a href="${APP_LAUNCH_PATH}?iss=${encodeURIComponent(iss)}">${h(APP_LAUNCH_PATH)}?iss=${h(iss)}</a>: without a
<code>launch</code> parameter the app asks for <code>launch/patient</code>, and the sandbox shows a patient picker (with a Deny button).</p>
<h2>EHR launch with injected faults</h2>
<form method="get" action="/sandbox/launch">
<p><label for="patient">Patient</label> <select id="patient" name="patient">${patientOptions}</select></p>
<p><label for="fail">Faults (comma-separated)</label> <input id="fail" name="fail" size="50" placeholder="forbid:MedicationRequest,slow:Condition"></p>
<button type="submit">Launch</button>
</form>
<ul>
${failures}
</ul>`,
  );
}
