/**
 * Where the page's language comes from (issue 15.3): the switcher's choice for the tab, then the launch (token
 * response, then the EHR's launch URL, handed from launch.html in sessionStorage), then the browser, then English.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  chosenLocale,
  handOverLaunchLocale,
  launchLocales,
  pickLocale,
  rememberLocaleChoice,
} from "../../src/smart/locale-choice";

afterEach(() => {
  sessionStorage.clear();
});

describe("launch parameters", () => {
  it("reads SMART locale and ui_locales from a launch URL and a token response", () => {
    expect(launchLocales(new URL("https://app/launch.html?iss=x&launch=1&locale=es-MX").searchParams)).toBe(
      "es-MX",
    );
    expect(launchLocales(new URL("https://app/launch.html?ui_locales=fr-FR%20zh-CN").searchParams)).toBe(
      "fr-FR zh-CN",
    );
    const token: Record<string, unknown> = { access_token: "t", ui_locales: "zh-Hans-CN en", locale: 42 };
    expect(launchLocales({ get: (k) => token[k] })).toBe("zh-Hans-CN en");
    expect(launchLocales({ get: () => undefined })).toBeUndefined();
  });

  it("hands the launch URL's language to index.html, and a launch without one clears an old one", () => {
    handOverLaunchLocale(new URL("https://app/launch.html?iss=x&launch=1&locale=es"));
    expect(pickLocale({ browser: ["en-US"] })).toBe("es");
    handOverLaunchLocale(new URL("https://app/launch.html?iss=x&launch=2"));
    expect(pickLocale({ browser: ["en-US"] })).toBe("en");
  });
});

describe("order of the sources", () => {
  it("the token response comes before the launch URL, the launch URL before the browser", () => {
    expect(pickLocale({ token: "zh-CN", launchUrl: "es", browser: ["en"] })).toBe("zh-CN");
    expect(pickLocale({ launchUrl: "es-419", browser: ["zh-CN"] })).toBe("es");
    expect(pickLocale({ browser: ["fr-FR", "zh-SG", "es"] })).toBe("zh-CN");
  });

  it("an unsupported launch language falls through to the browser, and nothing to English", () => {
    expect(pickLocale({ token: "fr-CA", launchUrl: "de", browser: ["es-ES"] })).toBe("es");
    expect(pickLocale({ token: "zh-TW", browser: [] })).toBe("en");
    expect(pickLocale({})).toBe("en");
  });

  it("the switcher's choice for this tab wins over the launch and the browser", () => {
    rememberLocaleChoice("es");
    expect(chosenLocale()).toBe("es");
    expect(pickLocale({ token: "zh-CN", launchUrl: "zh-CN", browser: ["zh-CN"] })).toBe("es");
  });

  it("nothing goes to localStorage", () => {
    rememberLocaleChoice("zh-CN");
    handOverLaunchLocale(new URL("https://app/launch.html?locale=es"));
    expect(localStorage.length).toBe(0);
  });
});
