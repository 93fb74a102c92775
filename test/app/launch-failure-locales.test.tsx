/**
 * The error screens in Spanish and Chinese (issue 15.3): every failure kind's title, explanation and advice come
 * from the locale's catalog (none left in English), while the technical detail stays as the server gave it.
 */
import { render, screen } from "@testing-library/react";
import { createIntl } from "react-intl";
import { describe, expect, it } from "vitest";
import { LaunchFailureScreen } from "../../src/app/LaunchFailureScreen";
import { describeLaunchFailure } from "../../src/app/launch-failure-text";
import type { LaunchFailure } from "../../src/smart/ready";
import { loadCatalog } from "../../src/ui/i18n/catalogs";
import { I18nProvider } from "../../src/ui/i18n/I18nProvider";
import type { Translate } from "../../src/ui/i18n/translate";

const FAILURES: LaunchFailure[] = [
  { kind: "denied", error: "access_denied" },
  { kind: "denied", error: "server_error", description: "upstream down" },
  {
    kind: "configuration",
    error: "invalid_scope",
    sent: { clientId: "her2-smart", redirectUri: "https://app/index.html", scope: "launch" },
  },
  { kind: "sign-in-incomplete" },
  { kind: "no-launch", detail: "No 'state' parameter" },
  { kind: "token-failed", detail: "500" },
  { kind: "timeout", step: "the token exchange", detail: "20 s" },
  { kind: "no-patient" },
  { kind: "unknown-issuer", iss: "https://other.example/fhir" },
  { kind: "session-ended", problem: "expired", summary: "401 on Observation" },
  { kind: "session-ended", problem: "forbidden", summary: "403 on every type" },
];

async function translator(locale: "es" | "zh-CN"): Promise<Translate> {
  const intl = createIntl({ locale, messages: await loadCatalog(locale) });
  return (id, values) => intl.formatMessage({ id }, values);
}

describe.each(["es", "zh-CN"] as const)("%s error screens", (locale) => {
  it.each(FAILURES.map((f) => [JSON.stringify(f), f] as const))(
    "%s is not in English",
    async (_, failure) => {
      const english = describeLaunchFailure(failure);
      const local = describeLaunchFailure(failure, await translator(locale));
      expect(local.title).not.toBe(english.title);
      expect(local.what).not.toBe(english.what);
      expect(local.todo).not.toBe(english.todo);
      expect(local.detail).toBe(english.detail);
    },
  );
});

it("the screen's chrome follows the locale and the OAuth error stays as sent", async () => {
  render(
    <I18nProvider initialLocale="es">
      <LaunchFailureScreen failure={{ kind: "denied", error: "server_error" }} shownAgain />
    </I18nProvider>,
  );
  expect(await screen.findByRole("heading", { level: 1, name: "Estado de HER2" })).toBeTruthy();
  expect(screen.getByRole("heading", { level: 2 }).textContent).toBe(
    "La historia clínica rechazó el inicio de sesión",
  );
  expect(screen.getByRole("alert").textContent).toContain('"server_error"');
  expect(screen.getByRole("alert").textContent).toContain("Qué hacer:");
  expect(screen.getByRole("alert").textContent).toContain("recargar la página");
});
