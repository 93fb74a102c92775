import { READ_RESOURCE_TYPES } from "./config";

export type LaunchKind = "ehr" | "standalone";

/**
 * The least scopes the app needs: read/search of the resource types it reads, in the patient compartment, plus the
 * launch context. SMART v2 uses `.rs` (read + search), v1 `.read`.
 */
export function buildScopes(kind: LaunchKind, version: "v1" | "v2", extra: readonly string[] = []): string {
  const suffix = version === "v2" ? "rs" : "read";
  const scopes = [
    kind === "ehr" ? "launch" : "launch/patient",
    ...READ_RESOURCE_TYPES.map((type) => `patient/${type}.${suffix}`),
    ...extra,
  ];
  return [...new Set(scopes)].join(" ");
}

/** Whether a server's `.well-known/smart-configuration` advertises SMART v2 scopes. */
export function supportsV2Scopes(smartConfiguration: unknown): boolean {
  if (typeof smartConfiguration !== "object" || smartConfiguration === null) return false;
  const capabilities = (smartConfiguration as { capabilities?: unknown }).capabilities;
  return Array.isArray(capabilities) && capabilities.includes("permission-v2");
}
