/**
 * The status reason names the patient's own result (issue 18.3): "IHC 1+ is negative", not the rule's "IHC 0/1+".
 */
import { describe, expect, it } from "vitest";
import { ihc, run } from "./build";

describe("the status reason gives the patient's actual score", () => {
  it.each(["0", "1+"] as const)("IHC %s alone", (score) => {
    const a = run([ihc(score)]);
    expect(a.status).toBe("negative");
    expect(a.statusReason).toContain(`IHC ${score} is negative`);
    expect(a.statusReason).not.toContain("0/1+");
  });
});
