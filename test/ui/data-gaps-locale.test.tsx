/**
 * Data gaps in Spanish and Chinese (issue 15.3): the panel leads each gap with a sentence of its own in the page's
 * language, chosen by the gap's kind. A gap's reason the FHIR layer wrote as a message (`reasonText`) is shown in the
 * page's language, as localizeAssessment renders it, the server's words inside it as they came; a reason with no
 * descriptor (an old saved state) is kept as a quoted detail marked `lang="en"` (not translated, not dropped). The
 * expected words are written here, not read from the catalogs.
 */
import { render, screen, within } from "@testing-library/react";
import { IntlProvider } from "react-intl";
import { beforeAll, describe, expect, it } from "vitest";
import { assess } from "../../src/domain";
import type { DataGap } from "../../src/domain/types";
import { describeHttpFailure } from "../../src/fhir/errors";
import { loadDomainCatalog, localizeAssessment } from "../../src/i18n/localize-assessment";
import type { Locale } from "../../src/i18n/locales";
import { DataCompleteness, DataGapAlert } from "../../src/ui/DataCompleteness";
import { LocaleContext } from "../../src/ui/i18n/locale-context";
import en from "../../src/ui/messages/en.json";
import es from "../../src/ui/messages/es.json";
import zh from "../../src/ui/messages/zh-CN.json";
import { DENIED_OBSERVATION, DOCREF_UNSUPPORTED } from "./fixtures";

const CATALOGS: Readonly<Record<Locale, Readonly<Record<string, string>>>> = { en, es, "zh-CN": zh };

const TIMEOUT: DataGap = {
  resourceType: "MedicationRequest",
  kind: "timeout",
  reason: "MedicationRequest did not answer within 30 s",
  affectsAssessment: true,
};

function renderIn(locale: Locale, gaps: readonly DataGap[]) {
  return render(
    <IntlProvider locale={locale} messages={CATALOGS[locale]}>
      <LocaleContext.Provider value={locale}>
        <DataGapAlert gaps={gaps} />
        <DataCompleteness gaps={gaps} unreadableCount={0} />
      </LocaleContext.Provider>
    </IntlProvider>,
  );
}

const CASES: readonly { locale: Locale; denied: RegExp; unsupported: RegExp; timeout: RegExp }[] = [
  {
    locale: "es",
    denied: /no permitió/,
    unsupported: /no ofrece este tipo de registro/,
    timeout: /no respondió a tiempo/,
  },
  { locale: "zh-CN", denied: /不允许/, unsupported: /不提供此类记录/, timeout: /未及时响应/ },
];

describe.each(CASES)("data gaps in $locale", ({ locale, denied, unsupported, timeout }) => {
  it("lead with a sentence in the page's language per kind, and quote the English reason marked lang=en", () => {
    renderIn(locale, [DENIED_OBSERVATION, DOCREF_UNSUPPORTED, TIMEOUT]);
    const section = screen.getByTestId("data-completeness");
    const items = within(section).getAllByTestId("data-gap");
    expect(items).toHaveLength(3);
    const [deniedItem, unsupportedItem, timeoutItem] = items as [HTMLElement, HTMLElement, HTMLElement];
    expect(deniedItem).toHaveTextContent(denied);
    expect(unsupportedItem).toHaveTextContent(unsupported);
    expect(timeoutItem).toHaveTextContent(timeout);
    for (const [item, gap] of [
      [deniedItem, DENIED_OBSERVATION],
      [unsupportedItem, DOCREF_UNSUPPORTED],
      [timeoutItem, TIMEOUT],
    ] as const) {
      const quoted = within(item).getByTestId("gap-reason");
      expect(quoted.tagName).toBe("Q");
      expect(quoted).toHaveAttribute("lang", "en");
      expect(quoted.textContent).toContain(gap.reason);
      // Outside the quote nothing is English: the lead-in is not the English one.
      const outside = item.textContent.replace(quoted.textContent, "");
      expect(outside).not.toContain(en["gap.lead.denied"]);
      expect(outside).not.toContain(en["gap.detail"]);
      expect(outside).not.toContain(gap.reason);
    }
    // The alert above the status uses the same words.
    const alert = screen.getByTestId("data-gap-alert");
    expect(alert).toHaveTextContent(denied);
    expect(within(alert).getAllByTestId("gap-reason")[0]).toHaveAttribute("lang", "en");
  });
});

/** A 403 as the FHIR layer writes it, with the server's own words. */
function deniedByServer(): DataGap {
  const body = {
    resourceType: "OperationOutcome",
    issue: [
      { severity: "error", code: "forbidden", diagnostics: "Scope patient/Observation.read not granted" },
    ],
  };
  const { kind, reason, reasonText } = describeHttpFailure(403, "Observation", body);
  return { resourceType: "Observation", kind, reason, reasonText, affectsAssessment: true };
}

/** The gaps as the panel receives them: from the assessment, localized for the page (PatientApp). */
function shownGaps(locale: Locale, gaps: DataGap[]): readonly DataGap[] {
  const assessment = assess({
    patient: "Patient/p1",
    asOf: "2026-11-25",
    tests: [],
    events: [],
    therapies: [],
    dataGaps: gaps,
  });
  return localizeAssessment(assessment, locale).dataGaps;
}

const REASONS: readonly { locale: Locale; reason: string; lead: string; english: string }[] = [
  {
    locale: "es",
    reason:
      "403 Forbidden al cargar Observation: se negó el acceso; es posible que no se haya otorgado el alcance patient/Observation.rs (o patient/Observation.read). El servidor indica: Scope patient/Observation.read not granted.",
    lead: "Detalle de la conexión de la aplicación con la historia clínica electrónica:",
    english: "(en inglés)",
  },
  {
    locale: "zh-CN",
    reason:
      "加载 Observation 时返回 403 Forbidden：访问被拒绝；可能未授予权限范围 patient/Observation.rs（或 patient/Observation.read）。服务器提示：Scope patient/Observation.read not granted.",
    lead: "本应用与电子病历系统连接的详细信息：",
    english: "（英文）",
  },
];

describe.each(REASONS)(
  "a gap's reason written as a message, in $locale",
  ({ locale, reason, lead, english }) => {
    beforeAll(async () => {
      await loadDomainCatalog(locale);
    });

    it("is shown in the page's language, not quoted as English; the server's words kept", () => {
      const gap = deniedByServer();
      renderIn(locale, shownGaps(locale, [gap]));
      for (const scope of [screen.getByTestId("data-gap-alert"), screen.getByTestId("data-completeness")]) {
        const item = within(scope).getByTestId("data-gap");
        const shown = within(item).getByTestId("gap-reason");
        expect(shown.tagName).not.toBe("Q");
        expect(shown).not.toHaveAttribute("lang");
        expect(shown.textContent).toBe(reason);
        expect(item.textContent).toContain(lead);
        expect(item.textContent).not.toContain(english);
        expect(item.textContent).not.toContain(gap.reason);
        expect(item).not.toContainHTML('lang="en"');
      }
    });

    it("one without a descriptor (an old saved state) is still quoted as English", () => {
      const old = deniedByServer();
      delete old.reasonText;
      renderIn(locale, shownGaps(locale, [old]));
      const quoted = within(screen.getByTestId("data-gap-alert")).getByTestId("gap-reason");
      expect(quoted.tagName).toBe("Q");
      expect(quoted).toHaveAttribute("lang", "en");
      expect(quoted.textContent).toBe(`${old.reason}.`);
    });
  },
);

describe("a gap's reason written as a message, in English", () => {
  it("reads as before, without '(in English)' on an English page", () => {
    const gap = deniedByServer();
    renderIn("en", shownGaps("en", [gap]));
    const item = within(screen.getByTestId("data-gap-alert")).getByTestId("data-gap");
    expect(item.textContent).toBe(
      "Observation: Access denied. The EHR did not let the app read these records. Detail from the app's connection to the EHR: 403 Forbidden loading Observation: access was denied; the scope patient/Observation.rs (or patient/Observation.read) may not have been granted. Server says: Scope patient/Observation.read not granted.",
    );
    expect(within(item).getByTestId("gap-reason").tagName).toBe("SPAN");
  });
});
