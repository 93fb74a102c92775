import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { LaunchFailureScreen } from "../../src/app/LaunchFailureScreen";
import type { LaunchFailure } from "../../src/smart/ready";

const cases: [LaunchFailure, RegExp, RegExp][] = [
  [{ kind: "denied", error: "access_denied" }, /Access was not granted/, /allow access/],
  [
    { kind: "denied", error: "invalid_scope", description: "scope x" },
    /refused the sign-in/,
    /invalid_scope/,
  ],
  [
    { kind: "no-launch", detail: "No 'state' parameter found" },
    /No launch in progress/,
    /from the patient's chart/,
  ],
  [
    { kind: "token-failed", detail: "400 Bad Request" },
    /Sign-in could not be completed/,
    /Launch the app again/,
  ],
  [
    {
      kind: "timeout",
      step: "the token exchange with the EHR's authorisation server",
      detail: "no answer within 20 s",
    },
    /did not answer the sign-in/,
    /waited for the token exchange[\s\S]*Launch the app again from the patient's chart/,
  ],
  [{ kind: "no-patient" }, /No patient selected/, /Open a patient's chart/],
  [{ kind: "sign-in-incomplete" }, /sign-in did not complete/, /launch the app again/],
  [
    {
      kind: "configuration",
      error: "invalid_client",
      sent: { clientId: "her2-x", redirectUri: "https://a/index.html", scope: "launch" },
    },
    /registration with this EHR does not match/,
    /client_id: her2-x/,
  ],
  [{ kind: "unknown-issuer", iss: "https://x.example/fhir" }, /not configured/, /smart-config\.json/],
  [
    { kind: "session-ended", problem: "expired", summary: "401 Unauthorized on 3 request(s)" },
    /Session expired – relaunch from the chart/,
    /Open the app again from the patient's chart/,
  ],
  [
    { kind: "session-ended", problem: "forbidden", summary: "403 Forbidden on every data request (9)" },
    /Access refused – relaunch from the chart/,
    /which permissions the app has/,
  ],
  [
    {
      kind: "blocked",
      origin: "https://auth.example.org",
      step: "the token exchange",
      detail: "TypeError: Failed to fetch",
    },
    /security policy blocked the EHR server/,
    /add https:\/\/auth\.example\.org to that issuer's connectSrc/,
  ],
];

describe("launch failure screens", () => {
  it.each(cases)("%j says what happened and what to do", (failure, title, todo) => {
    render(<LaunchFailureScreen failure={failure} />);
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent(title);
    expect(alert).toHaveTextContent(/What to do/);
    expect(screen.getByRole("main")).toHaveTextContent(todo);
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("HER2 status");
  });
});

describe("a refused sign-in (issue 18.9)", () => {
  // A standalone launch has no chart: the Deny screen must not send the user back to one.
  it("access_denied does not say 'from the chart'", () => {
    render(<LaunchFailureScreen failure={{ kind: "denied", error: "access_denied" }} />);
    expect(document.body).toHaveTextContent(/Launch the app again and allow access/);
    expect(document.body).not.toHaveTextContent(/from the chart/);
  });
});
