/**
 * CDS Hooks cards from the rules' assessment: one card per flag (the panel's flags, src/domain/patient-flags.ts; no
 * rule is restated here), an info card when the HER2 check could not complete (a data gap that may change the
 * assessment), and, for order-sign, a critical card for an anti-HER2 drug drafted for a patient whose HER2 status does
 * not support it. Nothing to do gives no card: silence is the normal case.
 */
import { randomUUID } from "node:crypto";
import type { Resource } from "fhir/r4";
import { allCitations } from "../domain/citations";
import type { Assessment, Flag, FlagCode, FlagSeverity } from "../domain/types";
import type { OrderCode } from "./config";

/** The card fields of CDS Hooks 2.0 this service sends. */
export interface Card {
  uuid: string;
  summary: string;
  detail: string;
  indicator: "info" | "warning" | "critical";
  source: { label: string; url?: string; topic?: { system: string; code: string; display?: string } };
  suggestions?: {
    label: string;
    uuid: string;
    isRecommended?: boolean;
    actions: { type: "create"; description: string; resource: Resource }[];
  }[];
  selectionBehavior?: "at-most-one" | "any";
  overrideReasons: { code: string; system: string; display: string }[];
  links?: { label: string; url: string; type: "smart" | "absolute"; appContext?: string }[];
}

/** What a card is about, kept by uuid so feedback can be summarised per kind. */
export type CardKind = FlagCode | "check-incomplete" | "order-not-supported";

export const CARD_TOPIC_SYSTEM = "https://her2-smart.example/cds/card-kind";
export const OVERRIDE_SYSTEM = "https://her2-smart.example/cds/override-reason";

/** Override reasons offered on every card (CDS Hooks 2.0 `overrideReasons`). */
export const OVERRIDE_REASONS: Card["overrideReasons"] = [
  { code: "sent-to-outside-lab", system: OVERRIDE_SYSTEM, display: "Sent to outside lab" },
  { code: "patient-declined", system: OVERRIDE_SYSTEM, display: "Patient declined" },
  {
    code: "already-addressed",
    system: OVERRIDE_SYSTEM,
    display: "Already addressed (result not yet in the chart)",
  },
  {
    code: "not-clinically-relevant",
    system: OVERRIDE_SYSTEM,
    display: "Not clinically relevant for this patient",
  },
];

/**
 * What to do, under 140 characters (the spec's limit), one line per flag code. The flag's own message and action,
 * with the evidence, go in the detail.
 */
export const CARD_SUMMARIES: Readonly<Record<FlagCode, string>> = {
  "reflex-ish-missing": "HER2 IHC 2+ (equivocal) without ISH: order reflex ISH on the same specimen",
  "metastatic-retest-missing":
    "Recurrent/metastatic breast cancer: retest HER2 on the new tumour tissue if available",
  "ihc-workup-needed": "HER2 ISH group 2-4 without IHC on the same tissue: order concomitant HER2 IHC",
  "recount-needed": "HER2 ISH group 2-4 with IHC 2+: request a blinded second-observer ISH recount",
  "dual-probe-ish-needed": "Single-probe HER2 ISH 4 to <6 copies: order dual-probe ISH",
  "discordant-results": "HER2 results disagree: review them before a HER2-directed treatment decision",
  "interpretation-mismatch":
    "The lab's HER2 call does not follow from its own results: ask the laboratory to review",
  "result-unreadable": "A HER2 result could not be read: review it in the chart",
  "result-pending": "A HER2 result is pending: the HER2 status may change when it is final",
  "anti-her2-therapy-not-found":
    "HER2-positive breast cancer with no anti-HER2 therapy on record: review treatment",
  "ihc-score-needed":
    "Metastatic HER2-negative: an IHC score (0/ultralow/1+/2+) is needed to decide T-DXd eligibility",
  "ihc-zero-review": "HER2 IHC 0: review for ultralow staining (trastuzumab deruxtecan may be an option)",
  "residual-disease-result":
    "HER2 result on residual disease after neoadjuvant therapy: the pre-treatment biopsy governs",
  "decalcified-negative":
    "HER2-negative on a decalcified bone specimen: may be falsely negative; consider other tissue",
  "her2-test-missing":
    "Breast cancer with no HER2 test on record: order HER2 testing (IHC, reflex ISH if 2+)",
  "undated-result": "The HER2 status rests on an undated result: confirm the date and specimen in the report",
  "therapy-duration-exceeds":
    "Trastuzumab/pertuzumab documented for over a year in early disease: check the planned duration",
};

/** Flags whose card may offer to order ISH (the site's ISH order code). */
const ISH_ORDER_FLAGS: ReadonlySet<FlagCode> = new Set(["reflex-ish-missing", "dual-probe-ish-needed"]);

/** Card indicator by the flag's urgency: `critical` is kept for order-sign (a drug being signed). */
const INDICATOR: Record<FlagSeverity, Card["indicator"]> = {
  action: "warning",
  warning: "warning",
  info: "info",
};

const GUIDELINE_SOURCE = {
  label: "ASCO/CAP HER2 testing guideline (Wolff 2018; 2023 update)",
  url: "https://doi.org/10.1200/JCO.2018.77.8738",
};

export interface CardContext {
  patientId: string;
  /** The SMART app's launch URL; without it no link is offered. */
  appLaunchUrl?: string;
  ishOrderCode?: OrderCode;
  /** Records each card's kind by uuid, for the feedback report. */
  remember?: (uuid: string, kind: CardKind) => void;
}

function md(text: string): string {
  return text.replace(/([\\`*_[\]<>#|])/g, "\\$1");
}

function statusLine(a: Assessment): string {
  const basis = a.basis
    ? ` — basis: ${[a.basis.specimenLabel ?? a.basis.specimen, a.basis.bodySite, a.basis.date].filter(Boolean).join(", ")}`
    : "";
  return `**HER2 status:** ${md(a.status)} (${md(a.category)}; setting ${md(a.setting)})${md(basis)}. ${md(a.statusReason)}`;
}

function evidenceLines(a: Assessment, refs: readonly string[]): string[] {
  return refs.map((ref) => {
    const item = a.evidence.find((e) => e.resource === ref);
    if (!item) return `- ${md(ref)}`;
    const parts = [
      item.interpretation ?? item.value,
      item.date,
      item.specimenLabel ?? item.specimen,
      item.bodySite,
      item.used ? undefined : `not used: ${item.notUsedReason ?? "see the record"}`,
    ].filter(Boolean);
    return `- ${md(ref)}: ${md(parts.join(", "))}`;
  });
}

function citationLines(texts: readonly string[]): string[] {
  const all = allCitations();
  return texts.map((text) => {
    const url = all.find((c) => c.text === text)?.url;
    return url ? `- ${md(text)} (${url})` : `- ${md(text)}`;
  });
}

function sourceOf(flag: Flag): Card["source"] {
  const first = flag.references?.[0];
  const url = allCitations().find((c) => c.text === first)?.url ?? GUIDELINE_SOURCE.url;
  return {
    label: GUIDELINE_SOURCE.label,
    url,
    topic: { system: CARD_TOPIC_SYSTEM, code: flag.code },
  };
}

function link(ctx: CardContext, kind: CardKind): Card["links"] {
  if (!ctx.appLaunchUrl) return undefined;
  // appContext is a hint only: the app reads the patient from the SMART launch (Oracle Health drops appContext).
  return [
    {
      label: "Open the HER2 panel",
      url: ctx.appLaunchUrl,
      type: "smart",
      appContext: JSON.stringify({ patient: ctx.patientId, card: kind }),
    },
  ];
}

function ishOrder(ctx: CardContext, flag: Flag): Card["suggestions"] {
  if (!ctx.ishOrderCode || !ISH_ORDER_FLAGS.has(flag.code)) return undefined;
  const specimen = flag.evidence.find((r) => r.startsWith("Specimen/"));
  const request = {
    resourceType: "ServiceRequest",
    status: "draft",
    intent: "proposal",
    code: { coding: [{ ...ctx.ishOrderCode }], text: ctx.ishOrderCode.display },
    subject: { reference: `Patient/${ctx.patientId}` },
    reasonCode: [{ text: flag.message }],
    ...(specimen ? { specimen: [{ reference: specimen }] } : {}),
  } as Resource;
  return [
    {
      label: `Order ${ctx.ishOrderCode.display}`,
      uuid: randomUUID(),
      isRecommended: true,
      actions: [{ type: "create", description: `Order ${ctx.ishOrderCode.display}`, resource: request }],
    },
  ];
}

function finish(card: Omit<Card, "uuid">, kind: CardKind, ctx: CardContext): Card {
  const uuid = randomUUID();
  ctx.remember?.(uuid, kind);
  const links = link(ctx, kind);
  return { uuid, ...card, ...(links ? { links } : {}) };
}

/** The card of one flag. */
export function flagCard(a: Assessment, flag: Flag, ctx: CardContext): Card {
  const detail = [
    `**${md(flag.message)}**`,
    ...(flag.action ? [`**Next step:** ${md(flag.action)}`] : []),
    statusLine(a),
    ...(flag.evidence.length > 0 ? ["**Evidence:**", ...evidenceLines(a, flag.evidence)] : []),
    ...((flag.references ?? []).length > 0 ? ["**Sources:**", ...citationLines(flag.references ?? [])] : []),
  ].join("\n\n");
  const suggestions = ishOrder(ctx, flag);
  return finish(
    {
      summary: CARD_SUMMARIES[flag.code],
      detail,
      indicator: INDICATOR[flag.severity],
      source: sourceOf(flag),
      ...(suggestions ? { suggestions, selectionBehavior: "at-most-one" as const } : {}),
      overrideReasons: OVERRIDE_REASONS,
    },
    flag.code,
    ctx,
  );
}

/** The info card of a HER2 check that could not complete: never a silent "no card". */
export function incompleteCard(a: Assessment, ctx: CardContext, extra: readonly string[] = []): Card {
  const gaps = a.dataGaps
    .filter((g) => g.affectsAssessment)
    .map((g) => `- ${md(g.resourceType)}: ${md(g.reason)}`);
  return finish(
    {
      summary: "The HER2 check could not complete: some FHIR data could not be read; open the HER2 panel",
      detail: [
        "**The HER2 check is incomplete.** Cards may be missing; the status below may change once the data is read.",
        statusLine(a),
        "**What could not be read:**",
        ...gaps,
        ...extra.map((e) => `- ${md(e)}`),
      ].join("\n\n"),
      indicator: "info",
      source: { ...GUIDELINE_SOURCE, topic: { system: CARD_TOPIC_SYSTEM, code: "check-incomplete" } },
      overrideReasons: OVERRIDE_REASONS,
    },
    "check-incomplete",
    ctx,
  );
}

/** patient-view: one card per flag, most urgent first (the rules' order), and the incomplete-check card. */
export function patientViewCards(a: Assessment, ctx: CardContext): Card[] {
  // A check that could not run (its data did not load) is not a finding: it is named in the incomplete-check card,
  // never sent as an order to act on.
  const notChecked = a.flags.filter((flag) => flag.state === "not-checked");
  const cards = a.flags.filter((flag) => flag.state !== "not-checked").map((flag) => flagCard(a, flag, ctx));
  if (a.dataGaps.some((g) => g.affectsAssessment) || notChecked.length > 0)
    cards.push(
      incompleteCard(
        a,
        ctx,
        notChecked.map((flag) => flag.message),
      ),
    );
  return cards;
}

/** Trastuzumab deruxtecan: indicated for HER2-low and HER2-ultralow metastatic disease as well (fdaTdxd). */
const TDXD = "fam-trastuzumab deruxtecan";

/**
 * Whether the HER2 status supports a drafted anti-HER2 drug. Anti-HER2 therapy rests on HER2-positive disease
 * (Wolff 2018; Romond 2005; Swain 2015); trastuzumab deruxtecan also on HER2-low or -ultralow metastatic disease
 * (Modi 2022, DESTINY-Breast04; Bardia 2024, DESTINY-Breast06; FDA 2022/2025). Anything else, including an
 * unknown status, is not support: the order-sign card says so with the evidence.
 */
export function statusSupports(drug: string, a: Assessment): boolean {
  if (a.status === "positive") return true;
  return (
    drug === TDXD && a.status === "negative" && (a.category === "her2-low" || a.category === "her2-ultralow")
  );
}

/** order-sign: a critical card for each drafted anti-HER2 drug the status does not support. */
export function orderSignCards(
  a: Assessment,
  drafted: readonly { drug: string; source: string }[],
  ctx: CardContext,
): Card[] {
  const unsupported = drafted.filter((d) => !statusSupports(d.drug, a));
  const drugs = [...new Set(unsupported.map((d) => d.drug))];
  return drugs.map((drug) => {
    const orders = unsupported.filter((d) => d.drug === drug).map((d) => d.source);
    const why =
      drug === TDXD
        ? "Trastuzumab deruxtecan needs HER2-positive, HER2-low or HER2-ultralow disease"
        : "Anti-HER2 therapy needs HER2-positive disease";
    const basis = a.basis?.evidence ?? [];
    const summary = `${drug} ordered, but HER2 status is ${a.status === "negative" ? a.category : a.status}: check before signing`;
    return finish(
      {
        summary: summary.length < 140 ? summary : `${summary.slice(0, 138)}…`,
        detail: [
          `**${md(why)}.** The order (${md(orders.join(", "))}) is for a patient whose HER2 status does not support it.`,
          statusLine(a),
          ...(basis.length > 0 ? ["**Evidence:**", ...evidenceLines(a, basis)] : []),
          ...(a.flags.length > 0
            ? ["**Open HER2 flags:**", ...a.flags.map((f) => `- ${md(f.message)}`)]
            : []),
          "**Sources:**",
          ...citationLines(
            allCitations()
              .filter((c) =>
                [
                  "wolff2018",
                  "romond2005",
                  "swain2015",
                  ...(drug === TDXD ? ["modi2022", "bardia2024", "fdaTdxd"] : []),
                ].includes(c.id),
              )
              .map((c) => c.text),
          ),
        ].join("\n\n"),
        indicator: "critical",
        source: { ...GUIDELINE_SOURCE, topic: { system: CARD_TOPIC_SYSTEM, code: "order-not-supported" } },
        overrideReasons: OVERRIDE_REASONS,
      },
      "order-not-supported",
      ctx,
    );
  });
}
