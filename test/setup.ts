import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterAll, afterEach } from "vitest";
import { server } from "./msw-server";

// The CLI follows the machine's locale (LC_ALL, LC_MESSAGES, LANG): the tests read English unless they set one.
delete process.env.LC_ALL;
delete process.env.LC_MESSAGES;
delete process.env.LANG;

// Listen at module load: fhirclient captures `fetch` when it is imported, which happens before a test's beforeAll.
server.listen({ onUnhandledRequest: "error" });
afterEach(() => {
  cleanup();
  server.resetHandlers();
  // Tests may run in the node environment (`@vitest-environment node`), which has no sessionStorage.
  if (typeof sessionStorage !== "undefined") sessionStorage.clear();
});
afterAll(() => {
  server.close();
});
