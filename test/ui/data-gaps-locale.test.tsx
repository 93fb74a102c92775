/**
 * Data gaps in Spanish and Chinese (issue 15.3): the FHIR layer writes each gap's reason in English (status code and
 * server message). The panel leads each gap with a sentence of its own in the page's language, chosen by the gap's
 * kind, and keeps the FHIR layer's words as a quoted detail marked `lang="en"` (not translated, not dropped). The
 * expected words are written here, not read from the catalogs.
 */
import { render, screen, within } from "@testing-library/react";
import { IntlProvider } from "react-intl";
import { describe, expect, it } from "vitest";
import type { DataGap } from "../../src/domain/types";
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
