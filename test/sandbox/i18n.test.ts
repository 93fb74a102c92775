// @vitest-environment node
/**
 * The sandbox in en, es and zh-CN over real HTTP (issue 15.3): `?lang=`, else Accept-Language (by q weight), else
 * English; `<html lang>`, translated chrome, the language switcher; a launch made in a locale gives the app that
 * locale in the token response (`locale`), and the launch URL carries nothing new.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Locale, scenarioText, SCENARIOS } from "../../sandbox/i18n";
import { readManifest } from "../../sandbox/manifest";
import { type RunningSandbox, startSandbox } from "../../sandbox/server";
import {
  allowLoopbackRequests,
  APP_SCOPES,
  authorizeParams,
  exchangeCode,
  get,
  launchId,
  locationParams,
  postForm,
  type TokenBody,
} from "./helpers";

allowLoopbackRequests();

const manifest = readManifest("sandbox/patients/index.json");

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

async function html(path: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await get(`${sandbox.url}${path}`, headers);
  expect(res.headers.get("content-type")).toContain("text/html");
  return res.text();
}

const htmlLang = (page: string): string | undefined => /<html lang="([^"]*)">/.exec(page)?.[1];
const h1 = (page: string): string | undefined => /<h1>(.*?)<\/h1>/s.exec(page)?.[1];

/** The EHR launch links on the home page, as URLs. */
function launchLinks(page: string): URL[] {
  return [...page.matchAll(/href="([^"]*\/launch\.html\?[^"]*)"/g)]
    .map((m) => new URL((m[1] ?? "").replaceAll("&amp;", "&"), sandbox.url))
    .filter((u) => u.searchParams.has("launch"));
}

/** Authorize with a launch id and exchange the code: the token response. */
async function tokenFor(launch: string): Promise<TokenBody> {
  const { params, verifier } = authorizeParams(sandbox.url, { launch });
  const authorized = await get(`${sandbox.url}/auth/authorize?${new URLSearchParams(params).toString()}`);
  const code = locationParams(authorized).get("code") ?? "";
  return (await (await exchangeCode(sandbox.url, code, verifier)).json()) as TokenBody;
}

describe("the sandbox page's locale", () => {
  it("English without ?lang= or Accept-Language", async () => {
    const page = await html("/sandbox/");
    expect(htmlLang(page)).toBe("en");
    expect(h1(page)).toBe("HER2 SMART sandbox");
    expect(page).toContain('<th scope="col">Scenario</th>');
  });

  it("?lang=es: Spanish chrome and scenarios, codes as they are", async () => {
    const page = await html("/sandbox/?lang=es");
    expect(htmlLang(page)).toBe("es");
    expect(h1(page)).toBe("Sandbox SMART de HER2");
    expect(page).toContain("<h2>Pacientes</h2>");
    expect(page).toContain('<th scope="col">Escenario</th>');
    expect(page).toContain("<h2>Inicio desde la HCE con fallos inyectados</h2>");
    expect(page).toContain(">Iniciar</button>");
    expect(page).toContain("sin alertas");
    // The scenarios in Spanish (IHQ for IHC), flag codes as codes.
    expect(page).toContain("<td>IHQ 3+ en el tumor primario; trastuzumab prescrito;");
    expect(page).not.toContain('<td lang="en">');
    expect(page).toContain("<code>reflex-ish-missing</code>");
    expect(page).not.toContain("EHR launch");
  });

  it("Accept-Language zh-CN: Simplified Chinese", async () => {
    const page = await html("/sandbox/", { "accept-language": "zh-CN,zh;q=0.9,en;q=0.8" });
    expect(htmlLang(page)).toBe("zh-CN");
    expect(h1(page)).toBe("HER2 SMART 沙盒");
    expect(page).toContain('<th scope="col">场景</th>');
    expect(page).toContain("EHR 启动");
  });

  it.each([
    // q weights decide, not the order.
    ["en;q=0.2, es;q=0.8", "es"],
    ["es-MX,es;q=0.9,en;q=0.8", "es"],
    // Traditional Chinese is not served Simplified; an unsupported language is skipped.
    ["zh-TW, fr;q=0.9, es;q=0.5", "es"],
    ["fr-FR, de;q=0.5", "en"],
    // q=0 means "not this one".
    ["es;q=0, zh-Hans-CN;q=0.5", "zh-CN"],
  ])("Accept-Language %s gives %s", async (header, locale) => {
    expect(htmlLang(await html("/sandbox/", { "accept-language": header }))).toBe(locale);
  });

  it("?lang= wins over Accept-Language; an unsupported ?lang= falls back to it", async () => {
    expect(htmlLang(await html("/sandbox/?lang=zh-CN", { "accept-language": "es" }))).toBe("zh-CN");
    expect(htmlLang(await html("/sandbox/?lang=fr", { "accept-language": "es" }))).toBe("es");
  });

  it("has a labelled switcher: a link per locale, named in its own language, the current one marked", async () => {
    const page = await html("/sandbox/?lang=es");
    const nav = /<nav class="languages" aria-label="([^"]+)">(.*?)<\/nav>/s.exec(page);
    expect(nav?.[1]).toBe("Idioma");
    const links = [
      ...(nav?.[2] ?? "").matchAll(/<a href="([^"]+)" lang="([^"]+)" hreflang="[^"]+"([^>]*)>(.*?)<\/a>/g),
    ];
    expect(links.map((l) => [l[1], l[2], l[4]?.replace(/<\/?strong>/g, "")])).toEqual([
      ["/sandbox/?lang=en", "en", "English"],
      ["/sandbox/?lang=es", "es", "Español"],
      ["/sandbox/?lang=zh-CN", "zh-CN", "简体中文"],
    ]);
    expect(links.map((l) => l[3]?.includes('aria-current="true"'))).toEqual([false, true, false]);
    // Following a link switches the page.
    expect(h1(await html(links[2]?.[1] ?? ""))).toBe("HER2 SMART 沙盒");
    // No inline script anywhere (the CSP forbids it): the switcher is plain links.
    expect(page).not.toMatch(/<script|onclick=/i);
  });

  it("the CDS card view and the error pages are translated too", async () => {
    const cds = await html("/sandbox/cds-view?patient=her2-ihc2-no-ish&lang=zh-CN");
    expect(htmlLang(cds)).toBe("zh-CN");
    expect(cds).toContain("<h1>CDS Hooks 卡片：<code>her2-ihc2-no-ish</code></h1>");
    expect(cds).toContain("<button>接受</button>");
    expect(cds).toContain('<input type="hidden" name="lang" value="zh-CN">');
    expect(cds).toContain('href="/sandbox/launch?patient=her2-ihc2-no-ish&amp;lang=zh-CN"');
    const unknown = await get(`${sandbox.url}/sandbox/launch?patient=nobody&lang=es`);
    expect(unknown.status).toBe(400);
    const page = await unknown.text();
    expect(htmlLang(page)).toBe("es");
    expect(page).toContain('Ninguna paciente sintética tiene el id "nobody".'.replaceAll('"', "&quot;"));
  });
});

describe("the locale reaches the app in the token response", () => {
  it.each(["en", "es", "zh-CN"])("a launch from the page in %s gives locale %s", async (locale) => {
    const page = await html(`/sandbox/?lang=${locale}`);
    const links = launchLinks(page);
    expect(links).toHaveLength(manifest.patients.length);
    const link = links[0];
    // The launch URL is iss and the opaque launch id, nothing else: no locale, no patient data.
    expect([...(link?.searchParams.keys() ?? [])].sort()).toEqual(["iss", "launch"]);
    const token = await tokenFor(link?.searchParams.get("launch") ?? "");
    expect(token.patient).toBe(manifest.patients[0]?.id);
    expect(token.locale).toBe(locale);
  });

  it("each locale gets its own launch id for the same patient", async () => {
    const ids = await Promise.all(
      ["en", "es", "zh-CN"].map(async (l) =>
        launchLinks(await html(`/sandbox/?lang=${l}`))[0]?.searchParams.get("launch"),
      ),
    );
    expect(new Set(ids).size).toBe(3);
  });

  it("the fault form passes the page's locale; /sandbox/launch without lang uses Accept-Language", async () => {
    const withFault = await get(
      `${sandbox.url}/sandbox/launch?patient=her2-ihc3&fail=slow:Condition:10&lang=es`,
    );
    const launch = locationParams(withFault).get("launch") ?? "";
    expect(await tokenFor(launch)).toMatchObject({ patient: "her2-ihc3", locale: "es" });
    const fromHeader = await get(`${sandbox.url}/sandbox/launch?patient=her2-ihc3`, {
      "accept-language": "zh-CN",
    });
    expect((await tokenFor(locationParams(fromHeader).get("launch") ?? "")).locale).toBe("zh-CN");
    // The helper's launch (no lang, no header) is English.
    expect((await tokenFor(await launchId(sandbox.url, "her2-ihc3"))).locale).toBe("en");
  });

  it("standalone launch: the picker in ui_locales' language, and the token says it", async () => {
    const { params, verifier } = authorizeParams(sandbox.url, {
      scope: APP_SCOPES.replace("launch ", "launch/patient "),
      ui_locales: "es-ES en",
    });
    const picker = await get(`${sandbox.url}/auth/authorize?${new URLSearchParams(params).toString()}`);
    expect(picker.status).toBe(200);
    const page = await picker.text();
    expect(htmlLang(page)).toBe("es");
    expect(page).toContain("<legend>Paciente</legend>");
    expect(page).toContain('value="allow">Permitir</button>');
    expect(page).toContain("IHQ 2+ y ninguna ISH registrada");
    const allowed = await postForm(`${sandbox.url}/auth/authorize`, {
      ...params,
      patient: "her2-ihc2-no-ish",
      decision: "allow",
    });
    const code = locationParams(allowed).get("code") ?? "";
    const token = (await (await exchangeCode(sandbox.url, code, verifier)).json()) as TokenBody;
    expect(token).toMatchObject({ patient: "her2-ihc2-no-ish", locale: "es" });
  });

  it("standalone launch without ui_locales: the browser's Accept-Language", async () => {
    const { params } = authorizeParams(sandbox.url, {
      scope: APP_SCOPES.replace("launch ", "launch/patient "),
    });
    const picker = await get(`${sandbox.url}/auth/authorize?${new URLSearchParams(params).toString()}`, {
      "accept-language": "zh-CN",
    });
    const page = await picker.text();
    expect(htmlLang(page)).toBe("zh-CN");
    expect(page).toContain("<h1>沙盒登录：选择患者</h1>");
  });
});

/** The text of a page as a reader sees it (the sandbox escapes & < > " '). */
const unescapeHtml = (page: string): string =>
  page
    .replaceAll("&#39;", "'")
    .replaceAll("&quot;", '"')
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");

/** The standalone launch's patient picker, asked for in `locale` (ui_locales). */
async function pickerPage(locale: Locale): Promise<string> {
  const { params } = authorizeParams(sandbox.url, {
    scope: APP_SCOPES.replace("launch ", "launch/patient "),
    ui_locales: locale,
  });
  return (await get(`${sandbox.url}/auth/authorize?${new URLSearchParams(params).toString()}`)).text();
}

/** Each scenario's English sentences (split at `;` and `:`), long enough to be a sentence rather than a code. */
const englishSentences = manifest.patients.flatMap((p) =>
  p.scenario
    .split(/[;:] /)
    .map((s) => s.trim())
    .filter((s) => s.split(" ").length >= 4),
);

describe("the patients' scenarios in every locale (issue 15)", () => {
  it.each(["es", "zh-CN"] as const)(
    "%s: one for every patient, none for a patient that is not there",
    (locale) => {
      const scenarios = SCENARIOS[locale];
      expect(Object.keys(scenarios).sort()).toEqual(manifest.patients.map((p) => p.id).sort());
      for (const p of manifest.patients) {
        const text = scenarios[p.id] ?? "";
        expect(text.trim(), p.id).not.toBe("");
        expect(text, p.id).not.toBe(p.scenario);
        expect(scenarioText(locale, p)).toEqual({ text, lang: locale });
      }
      expect(scenarioText("en", manifest.patients[0] ?? { id: "", scenario: "" }).text).toBe(
        manifest.patients[0]?.scenario,
      );
      // A patient added to the manifest before its translation shows its English, marked as English.
      expect(scenarioText(locale, { id: "her2-new", scenario: "IHC 2+ only" })).toEqual({
        text: "IHC 2+ only",
        lang: "en",
      });
    },
  );

  it.each<[Exclude<Locale, "en">, string[], RegExp]>([
    ["es", ["IHQ 3+", "ISH de doble sonda", "equívoco", "trastuzumab", "metastásica"], /\bIHC\b/],
    ["zh-CN", ["免疫组化 (IHC) 3+", "双探针 ISH", "不确定", "曲妥珠单抗", "转移性"], /trastuzumab/i],
  ])("%s: the clinical terms as the app's catalogs write them", (locale, terms, notThere) => {
    const all = Object.values(SCENARIOS[locale]).join("\n");
    for (const term of terms) expect(all).toContain(term);
    expect(all).not.toMatch(notThere);
  });

  it.each(["es", "zh-CN"] as const)(
    "%s: the picker and the home page show no English scenario sentence",
    async (locale) => {
      expect(englishSentences.length).toBeGreaterThan(manifest.patients.length);
      const picker = await pickerPage(locale);
      const home = await html(`/sandbox/?lang=${locale}`);
      for (const page of [picker, home]) {
        expect(htmlLang(page)).toBe(locale);
        const text = unescapeHtml(page);
        for (const p of manifest.patients) expect(text).toContain(SCENARIOS[locale][p.id] ?? "?");
        for (const sentence of englishSentences) expect(text, sentence).not.toContain(sentence);
        expect(page).not.toMatch(/<(span|td) lang="en"/);
      }
    },
  );

  it("English: the picker shows the manifest's own scenarios", async () => {
    const text = unescapeHtml(await pickerPage("en"));
    for (const p of manifest.patients) expect(text).toContain(p.scenario);
  });
});
