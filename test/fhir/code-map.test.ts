// @vitest-environment node
import { describe, expect, it } from "vitest";
import { parseCodeMap } from "../../src/fhir/code-map";

describe("parseCodeMap", () => {
  it("accepts the documented format", () => {
    const map = parseCodeMap({
      description: "Example Health, Epic production",
      observations: [
        {
          system: "urn:oid:1.2.840.114350.1.13.861.1.7.2.768282",
          code: "768282-11",
          concept: "ihc",
          display: "HER2 IHC SCORE",
        },
      ],
      answers: [{ system: "urn:oid:1.2.840.114350.1.13.861.1.7.4.768282.4", code: "3", meaning: "ihc-2+" }],
      medications: [
        { system: "urn:oid:1.2.840.114350.1.13.861.1.7.2.698288", code: "12345", drug: "trastuzumab" },
      ],
    });
    expect(map.observations[0]).toMatchObject({ code: "768282-11", concept: "ihc" });
    expect(map.answers[0]).toMatchObject({ meaning: "ihc-2+" });
    expect(map.medications[0]).toMatchObject({ drug: "trastuzumab" });
  });

  it("accepts an empty object", () => {
    expect(parseCodeMap({})).toEqual({ observations: [], answers: [], medications: [] });
  });

  const bad: [string, unknown, string][] = [
    ["not an object", [], "codeMap:"],
    ["observations not an array", { observations: {} }, "codeMap.observations:"],
    [
      "unknown concept",
      { observations: [{ system: "s", code: "c", concept: "ihc-score" }] },
      "codeMap.observations[0].concept",
    ],
    [
      "missing code",
      {
        observations: [
          { system: "s", concept: "ihc" },
          { system: "s", concept: "ish" },
        ],
      },
      "codeMap.observations[0].code",
    ],
    [
      "empty system",
      { answers: [{ system: " ", code: "1", meaning: "positive" }] },
      "codeMap.answers[0].system",
    ],
    [
      "unknown meaning",
      { answers: [{ system: "s", code: "1", meaning: "pos" }] },
      "codeMap.answers[0].meaning",
    ],
    [
      "unknown drug",
      { medications: [{ system: "s", code: "1", drug: "tamoxifen" }] },
      "codeMap.medications[0].drug",
    ],
    [
      "misspelt field",
      { observations: [{ system: "s", code: "c", concept: "ihc", dispaly: "x" }] },
      "codeMap.observations[0].dispaly",
    ],
    ["unknown top-level key", { observation: [] }, "codeMap.observation"],
    [
      "duplicate code",
      {
        observations: [
          { system: "s", code: "c", concept: "ihc" },
          { system: "s", code: "c", concept: "ish" },
        ],
      },
      "codeMap.observations[1]",
    ],
  ];
  for (const [name, json, path] of bad) {
    it(`rejects ${name}, naming ${path}`, () => {
      expect(() => parseCodeMap(json)).toThrow(path);
    });
  }
});
