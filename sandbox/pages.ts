import {
  APP_LAUNCH_PATH,
  AUTHORIZE_PATH,
  FHIR_BASE_PATH,
  REGISTERED_CLIENT_IDS,
  SANDBOX_PAGE_PATH,
  TOKEN_PATH,
} from "./config.ts";
import { DEFAULT_SLOW_MS, FAILURE_DESCRIPTIONS } from "./failures.ts";
import { escapeHtml as h } from "./http.ts";
import { type Locale, languageSwitcher, scenarioText, t, tHtml } from "./i18n.ts";
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
  .languages ul { display: inline; list-style: none; margin: 0; padding: 0; } .languages li { display: inline; margin-right: .75rem; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }`;

/** A sandbox page in `locale` (its `<html lang>`): the shared head and style around `body` (also used by cds.ts). */
export function page(title: string, body: string, locale: Locale = "en"): string {
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${h(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

/** A patient's scenario as HTML in `locale`; marked `lang="en"` where it is the English (no translation yet). */
function scenarioHtml(locale: Locale, patient: ManifestPatient): string {
  const { text, lang } = scenarioText(locale, patient);
  return lang === locale ? h(text) : `<span lang="${lang}">${h(text)}</span>`;
}

/** A plain error page, for errors that must not be redirected (unknown client, foreign redirect URI). */
export function errorPage(title: string, message: string, locale: Locale = "en"): string {
  return page(
    title,
    `<h1>${h(title)}</h1><p role="alert">${h(message)}</p><p><a href="/sandbox/?lang=${locale}">${h(t(locale, "error.back"))}</a></p>`,
    locale,
  );
}

/**
 * The standalone-launch patient picker at `/auth/authorize`: choose a patient and allow, or deny.
 * The original authorize parameters ride along as hidden fields. In `locale` (the request's `ui_locales`, else the
 * browser's Accept-Language: oauth.ts).
 */
export function patientPickerPage(
  params: Record<string, string>,
  patients: readonly ManifestPatient[],
  error?: string,
  locale: Locale = "en",
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
<label for="patient-${i}">${tHtml(locale, "picker.option", { name: h(p.name), date: h(p.birthDate), id: `<code>${h(p.id)}</code>`, scenario: scenarioHtml(locale, p) })}</label></div>`,
    )
    .join("\n");
  const title = t(locale, "picker.title");
  return page(
    title,
    `<h1>${h(title)}</h1>
<p>${tHtml(locale, "picker.asks", { client: `<code>${h(params.client_id ?? "")}</code>`, scope: `<code>${h(params.scope ?? "")}</code>` })}</p>
${error === undefined ? "" : `<p class="error" role="alert">${h(error)}</p>`}
<form method="post" action="${AUTHORIZE_PATH}">
${hidden}
<fieldset><legend>${h(t(locale, "picker.legend"))}</legend>
${options}
</fieldset>
<button type="submit" name="decision" value="allow">${h(t(locale, "picker.allow"))}</button>
<button type="submit" name="decision" value="deny" formnovalidate>${h(t(locale, "picker.deny"))}</button>
</form>`,
    locale,
  );
}

/** Inputs of the sandbox home page. */
export interface HomePageModel {
  readonly origin: string;
  readonly patients: readonly ManifestPatient[];
  /** The one-click EHR launch URL of a patient, without faults (its launch id carries the page's locale). */
  readonly launchUrl: (patientId: string) => string;
  /** The page's language (default en). */
  readonly locale?: Locale;
}

/** A fault code's description in `locale`, as HTML: `expire:<s>` is described by `failure.expire`. */
function failureEffect(code: string, locale: Locale): string {
  const id = `failure.${code.split(":")[0] ?? code}`;
  return tHtml(locale, id, { patient: "<code>patient</code>" }, { ms: DEFAULT_SLOW_MS });
}

/**
 * `/sandbox/`: endpoints, the patient table with EHR-launch links, fault injection and standalone launch, in
 * `model.locale`, with a language switcher.
 */
export function sandboxHomePage(model: HomePageModel): string {
  const locale = model.locale ?? "en";
  const m = (id: string): string => h(t(locale, id));
  const lang = `lang=${encodeURIComponent(locale)}`;
  const iss = `${model.origin}${FHIR_BASE_PATH}`;
  const rows = model.patients
    .map((p) => {
      const e = p.expected;
      return `<tr><td><code>${h(p.id)}</code></td><td>${h(p.name)}<br>${h(t(locale, "home.born", { date: p.birthDate }))}</td><td>${scenarioHtml(locale, p)}</td>
<td>${h(e.status)} / ${h(e.category)} / ${h(e.setting)}<div class="flags">${e.flags.length === 0 ? m("home.noFlags") : e.flags.map((f) => `<code>${h(f)}</code>`).join(" ")}</div></td>
<td><a href="${h(model.launchUrl(p.id))}">${m("home.ehrLaunch")}<span class="visually-hidden"> ${h(p.name)}</span></a>
<br><a href="/sandbox/cds-view?patient=${encodeURIComponent(p.id)}&amp;${lang}">${m("home.cdsCards")}<span class="visually-hidden"> ${h(p.name)}</span></a></td></tr>`;
    })
    .join("\n");
  const patientOptions = model.patients
    .map((p) => `<option value="${h(p.id)}">${h(p.name)} (${h(p.id)})</option>`)
    .join("");
  const failures = FAILURE_DESCRIPTIONS.map(
    (f) => `<li><code>${h(f.code)}</code>: ${failureEffect(f.code, locale)}</li>`,
  ).join("\n");
  const code = (text: string): string => `<code>${h(text)}</code>`;
  const standalone = `${APP_LAUNCH_PATH}?iss=${iss}`;
  return page(
    t(locale, "home.title"),
    `${languageSwitcher(locale, (l) => `${SANDBOX_PAGE_PATH}?lang=${encodeURIComponent(l)}`)}
<h1>${m("home.title")}</h1>
<p>${tHtml(locale, "home.intro", { app: `<a href="/">${h(model.origin)}/</a>` })}</p>
<p>${tHtml(locale, "home.languageNote", { locale: `<code>locale: "${h(locale)}"</code>` })}</p>
<h2>${m("home.endpoints")}</h2>
<ul>
<li>${tHtml(locale, "home.fhirBase", {
      iss: code("iss"),
      url: code(iss),
      links: `<a href="${FHIR_BASE_PATH}/metadata">metadata</a>, <a href="${FHIR_BASE_PATH}/.well-known/smart-configuration">smart-configuration</a>`,
    })}</li>
<li>${tHtml(locale, "home.authorize", { authorize: code(model.origin + AUTHORIZE_PATH), token: code(model.origin + TOKEN_PATH) })}</li>
<li>${tHtml(locale, "home.clients", { clients: REGISTERED_CLIENT_IDS.map(code).join(", ") })}</li>
</ul>
<h2>${m("home.patients")}</h2>
<table><caption>${m("home.caption")}</caption>
<thead><tr><th scope="col">${m("home.colId")}</th><th scope="col">${m("home.colName")}</th><th scope="col">${m("home.colScenario")}</th><th scope="col">${m("home.colExpected")}</th><th scope="col">${m("home.colLaunch")}</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<h2>${m("home.standalone")}</h2>
<p>${tHtml(locale, "home.standaloneText", {
      link: `<a href="${APP_LAUNCH_PATH}?iss=${encodeURIComponent(iss)}">${h(standalone)}</a>`,
      launch: code("launch"),
      scope: code("launch/patient"),
    })}</p>
<h2>${m("home.faults")}</h2>
<form method="get" action="/sandbox/launch">
<input type="hidden" name="lang" value="${h(locale)}">
<p><label for="patient">${m("home.faultPatient")}</label> <select id="patient" name="patient">${patientOptions}</select></p>
<p><label for="fail">${m("home.faultCodes")}</label> <input id="fail" name="fail" size="50" placeholder="forbid:MedicationRequest,slow:Condition"></p>
<button type="submit">${m("home.launchButton")}</button>
</form>
<ul>
${failures}
</ul>`,
    locale,
  );
}
