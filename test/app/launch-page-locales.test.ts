/**
 * The launch page in the EHR's language (issue 15.3): plain strings with `{name}` placeholders (no ICU formatter on
 * launch.html), English unless the launch or the browser asks for Spanish or Chinese.
 */
import { describe, expect, it } from "vitest";
import type { AppConfig } from "../../src/smart/config";
import { decideLaunch } from "../../src/smart/launch-flow";
import { englishLaunchText, launchText } from "../../src/smart/launch-text";
import { renderMessage } from "../../src/smart/message-page";

const config = {
  issuers: [
    {
      id: "epic",
      name: "Epic (test)",
      issPattern: "^https://epic\\.example/fhir$",
      clientId: "REPLACE-ME",
      scopeVersion: "v2",
      extraScopes: [],
      pkceMode: "ifSupported",
      connectSrc: [],
    },
  ],
} as unknown as AppConfig;

describe("launch page texts", () => {
  it("English fills placeholders and leaves unknown ones visible", () => {
    expect(englishLaunchText("unknownIss.p1", { host: "ehr.example" })).toMatch(
      /^The launch came from ehr\.example,/,
    );
    expect(englishLaunchText("unknownIss.p1")).toContain("{host}");
  });

  it.each([
    ["es", "Esta historia clínica no está configurada para la aplicación", "Detalle técnico"],
    ["zh-CN", "该电子病历尚未为本应用配置", "技术详情"],
  ] as const)("%s: the unknown-EHR screen and its chrome", async (locale, title, detail) => {
    const text = await launchText(locale);
    expect(text.locale).toBe(locale);
    const decision = await decideLaunch(
      config,
      new URL("https://app/launch.html?iss=https://other.example/fhir&launch=1"),
      1000,
      text.t,
    );
    expect(decision.kind).toBe("message");
    if (decision.kind !== "message") return;
    expect(decision.message.title).toBe(title);
    expect(decision.message.paragraphs[0]).toContain("other.example");
    const root = document.createElement("div");
    renderMessage(root, decision.message, text.t);
    expect(root.querySelector("h1")?.textContent).toBe(title);
    expect(root.querySelector("summary")?.textContent).toBe(detail);
    expect(document.title.startsWith(title)).toBe(true);
  });

  it("a placeholder client id names the issuer in Spanish", async () => {
    const { t } = await launchText("es");
    const decision = await decideLaunch(
      config,
      new URL("https://app/launch.html?iss=https://epic.example/fhir&launch=1"),
      1000,
      t,
    );
    expect(decision.kind === "message" && decision.message.paragraphs[0]).toBe(
      "Se reconoce Epic (test), pero su client id en smart-config.json todavía es provisional.",
    );
  });
});
