import { afterEach, describe, expect, it } from "vitest";
import { blockedOrigin, blockedText, connectSources } from "../../src/smart/csp";

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
    const text = blockedText("http://127.0.0.1:8445");
    expect(text.what).toMatch(/Content-Security-Policy \(connect-src\)/);
    expect(text.what).toMatch(/not a network failure/);
    expect(text.todo).toMatch(/connectSrc in smart-config\.json/);
    expect(text.todo).toMatch(/SMART_DEV_ISSUERS/);
  });
});
