import { afterEach, describe, expect, it } from "vitest";
import { createIntl } from "react-intl";
import { describeLaunchFailure } from "../../src/app/launch-failure-text";
import type { Locale } from "../../src/i18n/locales";
import { blockedOrigin, blockedText, connectSources } from "../../src/smart/csp";
import { englishLaunchText, launchText } from "../../src/smart/launch-text";
import uiEs from "../../src/ui/messages/es.json";
import uiZh from "../../src/ui/messages/zh-CN.json";

function setPolicy(connectSrc: string | undefined) {
  document.head.querySelector('meta[http-equiv="Content-Security-Policy"]')?.remove();
  if (connectSrc === undefined) return;
  const meta = document.createElement("meta");
  meta.setAttribute("http-equiv", "Content-Security-Policy");
  meta.setAttribute("content", `default-src 'none'; connect-src ${connectSrc}; base-uri 'none'`);
  document.head.append(meta);
}

describe("telling a CSP-blocked connection from a server that is down (issue 17.2)", () => {
  afterEach(() => {
    setPolicy(undefined);
  });

  it("reads connect-src from the page's policy", () => {
    setPolicy("'self' https://fhir.epic.com");
    expect(connectSources()).toEqual(["'self'", "https://fhir.epic.com"]);
  });

  it("names the origin the policy does not list, and only that", () => {
    setPolicy("'self' https://fhir.epic.com https://*.cerner.com http://127.0.0.1:8444");
    expect(blockedOrigin(`${window.location.origin}/fhir`)).toBeUndefined();
    expect(blockedOrigin("https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4")).toBeUndefined();
    expect(blockedOrigin("https://authorization.cerner.com/tenants/x/token")).toBeUndefined();
    expect(blockedOrigin("http://127.0.0.1:8444/v/r4/sim/abc/fhir")).toBeUndefined();
    expect(blockedOrigin("http://127.0.0.1:8445/v/r4/fhir")).toBe("http://127.0.0.1:8445");
    expect(blockedOrigin("http://fhir.epic.com/x")).toBe("http://fhir.epic.com");
    expect(blockedOrigin("https://launch.smarthealthit.org/v/r4/fhir")).toBe(
      "https://launch.smarthealthit.org",
    );
  });

  it("blames no policy when the page has none (dev server, tests)", () => {
    expect(blockedOrigin("https://anything.example.org/fhir")).toBeUndefined();
  });

  it("says it is the app's configuration, and how to fix it", () => {
    const text = blockedText("http://127.0.0.1:8445", englishLaunchText);
    expect(text.what).toMatch(/Content-Security-Policy \(connect-src\)/);
    expect(text.what).toMatch(/not a network failure/);
    expect(text.todo).toMatch(/connectSrc in smart-config\.json/);
    expect(text.todo).toMatch(/SMART_DEV_ISSUERS/);
  });
});

/**
 * The blocked-connection screens in Spanish and Chinese (issue 15.3): launch.html with its plain-string catalog,
 * index.html's error screen with the panel's catalog. The expected words are written here, not read from the
 * catalogs; the names the integration team types stay as written.
 */
const WORDS: readonly {
  locale: Exclude<Locale, "en">;
  refused: RegExp;
  ui: Readonly<Record<string, string>>;
}[] = [
  { locale: "es", refused: /El navegador se negó a conectarse a http:\/\/127\.0\.0\.1:8445/, ui: uiEs },
  { locale: "zh-CN", refused: /浏览器拒绝连接到 http:\/\/127\.0\.0\.1:8445/, ui: uiZh },
];

describe.each(WORDS)("the blocked connection in $locale", ({ locale, refused, ui }) => {
  function expectLocalized(text: { what: string; todo: string }) {
    expect(text.what).toMatch(refused);
    expect(text.what).toMatch(/connect-src/);
    expect(text.what).not.toMatch(/The browser refused|not a network failure/);
    expect(text.todo).toMatch(/connectSrc/);
    expect(text.todo).toMatch(/smart-config\.json/);
    expect(text.todo).toMatch(/SMART_DEV_ISSUERS/);
    expect(text.todo).toContain("http://127.0.0.1:8445");
    expect(text.todo).not.toMatch(/Ask your EHR integration team/);
  }

  it("on the launch page", async () => {
    const { t, locale: shown } = await launchText(locale);
    expect(shown).toBe(locale);
    expectLocalized(blockedText("http://127.0.0.1:8445", t));
  });

  it("on the app's error screen", () => {
    const intl = createIntl({ locale, messages: ui });
    const text = describeLaunchFailure(
      {
        kind: "blocked",
        origin: "http://127.0.0.1:8445",
        step: "discovery",
        detail: "TypeError: Failed to fetch",
      },
      (id, values) => intl.formatMessage({ id }, values),
    );
    expectLocalized(text);
  });
});
