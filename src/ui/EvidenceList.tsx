import Box from "@mui/material/Box";
import { useTheme } from "@mui/material/styles";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableContainer from "@mui/material/TableContainer";
import TableHead from "@mui/material/TableHead";
import TableRow from "@mui/material/TableRow";
import Typography from "@mui/material/Typography";
import useMediaQuery from "@mui/material/useMediaQuery";
import type { ReactNode } from "react";
import type { EvidenceItem, ResourceRef } from "../domain/types";
import { labelIshValue, siteLabel } from "./clinical-text";
import { type Translate, useDisplayDate, useT } from "./i18n/translate";
import { groupEvidence, type EvidenceGroup } from "./evidence";
import { printHide } from "./a11y";
import { SourceButton } from "./SourceButton";

interface EvidenceListProps {
  evidence: readonly EvidenceItem[];
  sourceOpener: (reference: ResourceRef) => ((reference: ResourceRef) => void) | undefined;
}

/** Result statuses that are ordinary for a reported result and need no mention. */
const QUIET_STATUSES = new Set(["final", "amended", "corrected"]);

function groupTitle(group: EvidenceGroup, t: Translate): string {
  const title = group.specimenKnown
    ? t("evidence.groupTitle", { name: group.specimenName })
    : t("basis.noSpecimen");
  return group.bodySite ? `${title} · ${siteLabel(group.bodySite)}` : title;
}

/** The result in clinical words, ISH values labelled (HER2 signals/cell, CEP17 signals/cell, HER2/CEP17 ratio). */
function resultText(item: EvidenceItem): string {
  return labelIshValue(item.value);
}

/** A FHIR reference that may wrap after its slash in a narrow column (`Observation/` then `ihc-liver`). */
function Reference({ value }: { value: string }) {
  const slash = value.indexOf("/");
  if (slash < 0) return <>{value}</>;
  return (
    <>
      {value.slice(0, slash + 1)}
      <wbr />
      {value.slice(slash + 1)}
    </>
  );
}

function ReadAs({ item }: { item: EvidenceItem }) {
  return <>{item.interpretation ?? resultText(item)}</>;
}

/**
 * For the integration engineer, one click away (issue 18.2): the value exactly as recorded, how the FHIR layer read
 * it (elements, codes, units) and the resource reference. Closed by default, so the first screen stays clinical.
 */
function HowRead({ item }: { item: EvidenceItem }) {
  const t = useT();
  return (
    <Box component="details" data-testid="how-read" sx={{ fontSize: "0.8125rem", mt: 0.25 }} {...printHide}>
      <Box component="summary" sx={{ cursor: "pointer", minHeight: 24, lineHeight: "24px" }}>
        {t("evidence.howRead")}
      </Box>
      <Box component="dl" sx={{ m: 0, wordBreak: "break-word" }}>
        <dt>{t("evidence.asRecorded")}</dt>
        <dd>{item.rawValue ?? item.value}</dd>
        {item.readAs ? (
          <>
            <dt>{t("evidence.readFrom")}</dt>
            <dd>{item.readAs}</dd>
          </>
        ) : null}
        <dt>{t("evidence.resource")}</dt>
        <dd>
          <Reference value={item.resource} />
        </dd>
      </Box>
    </Box>
  );
}

function UsedText({ item }: { item: EvidenceItem }) {
  const t = useT();
  if (item.used) return <>{t("evidence.used")}</>;
  return (
    <>
      <Box component="span" sx={{ fontWeight: 600 }}>
        {t("evidence.notUsed")}
      </Box>
      {`: ${item.notUsedReason ?? t("evidence.noReason")}`}
    </>
  );
}

function MethodText({ item }: { item: EvidenceItem }) {
  const t = useT();
  return (
    <>
      <abbr title={t(`methodLong.${item.method}`)} style={{ textDecoration: "none" }}>
        {t(`method.${item.method}`)}
      </abbr>
      {QUIET_STATUSES.has(item.status) ? null : (
        <Box component="span" sx={{ display: "block", fontSize: "0.8125rem" }}>
          {t(`resultStatus.${item.status}`)}
        </Box>
      )}
    </>
  );
}

/** Wide layout: one table, a row-group per specimen. */
function EvidenceTable({
  groups,
  sourceOpener,
}: { groups: EvidenceGroup[] } & Pick<EvidenceListProps, "sourceOpener">) {
  const t = useT();
  const displayDate = useDisplayDate();
  return (
    <TableContainer
      sx={{ border: "1px solid", borderColor: "divider", borderRadius: 1, bgcolor: "background.paper" }}
    >
      <Table aria-label={t("evidence.tableLabel")}>
        <TableHead>
          <TableRow>
            <TableCell scope="col">{t("evidence.date")}</TableCell>
            <TableCell scope="col">{t("evidence.method")}</TableCell>
            <TableCell scope="col">{t("evidence.result")}</TableCell>
            <TableCell scope="col">{t("evidence.readAs")}</TableCell>
            <TableCell scope="col">{t("evidence.used")}</TableCell>
            <TableCell scope="col">{t("evidence.source")}</TableCell>
          </TableRow>
        </TableHead>
        {groups.map((group) => (
          <TableBody key={group.key} data-testid="evidence-group">
            <TableRow>
              <TableCell
                component="th"
                scope="rowgroup"
                colSpan={6}
                sx={{ bgcolor: "background.default", fontWeight: 600 }}
              >
                {groupTitle(group, t)}
              </TableCell>
            </TableRow>
            {group.items.map((item, i) => (
              <TableRow
                key={`${item.resource}-${String(i)}`}
                data-testid="evidence-item"
                data-resource={item.resource}
              >
                <TableCell sx={{ whiteSpace: "nowrap" }}>{displayDate(item.date)}</TableCell>
                <TableCell>
                  <MethodText item={item} />
                </TableCell>
                <TableCell sx={{ wordBreak: "break-word" }}>{resultText(item)}</TableCell>
                <TableCell>
                  <ReadAs item={item} />
                </TableCell>
                <TableCell>
                  <UsedText item={item} />
                </TableCell>
                <TableCell>
                  <SourceButton reference={item.resource} onShow={sourceOpener(item.resource)} />
                  <HowRead item={item} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        ))}
      </Table>
    </TableContainer>
  );
}

function Field({ term, children }: { term: string; children: ReactNode }) {
  return (
    <Box sx={{ display: "flex", columnGap: 1, flexWrap: "wrap" }}>
      <Box component="dt" sx={{ fontWeight: 600, minWidth: "7.5rem" }}>
        {term}
      </Box>
      <Box component="dd" sx={{ m: 0, flex: "1 1 10rem", wordBreak: "break-word" }}>
        {children}
      </Box>
    </Box>
  );
}

/** Narrow layout (EHR sidebar): a card per specimen with its results listed newest first. */
function EvidenceCards({
  groups,
  sourceOpener,
}: { groups: EvidenceGroup[] } & Pick<EvidenceListProps, "sourceOpener">) {
  const t = useT();
  const displayDate = useDisplayDate();
  return (
    <Box sx={{ display: "grid", gap: 1 }}>
      {groups.map((group) => (
        <Box
          key={group.key}
          data-testid="evidence-group"
          sx={{ border: "1px solid", borderColor: "divider", borderRadius: 1, bgcolor: "background.paper" }}
        >
          <Typography
            component="h3"
            sx={{ fontWeight: 600, fontSize: "1rem", px: 1.25, py: 0.75, bgcolor: "background.default" }}
          >
            {groupTitle(group, t)}
          </Typography>
          <Box component="ul" sx={{ listStyle: "none", m: 0, p: 0 }}>
            {group.items.map((item, i) => (
              <Box
                component="li"
                key={`${item.resource}-${String(i)}`}
                data-testid="evidence-item"
                data-resource={item.resource}
                sx={{
                  px: 1.25,
                  py: 0.75,
                  borderTop: "1px solid",
                  borderColor: "divider",
                  breakInside: "avoid",
                }}
              >
                <Box sx={{ display: "flex", flexWrap: "wrap", alignItems: "baseline", gap: 1 }}>
                  <Typography component="span" sx={{ fontWeight: 600 }}>
                    <MethodText item={item} />
                  </Typography>
                  <Box sx={{ ml: "auto" }}>
                    <SourceButton reference={item.resource} onShow={sourceOpener(item.resource)} />
                  </Box>
                </Box>
                <Box component="dl" sx={{ m: 0, mt: 0.25 }}>
                  <Field term={t("evidence.result")}>{resultText(item)}</Field>
                  <Field term={t("evidence.readAs")}>
                    <ReadAs item={item} />
                  </Field>
                  <Field term={t("evidence.date")}>{displayDate(item.date)}</Field>
                  <Field term={t("evidence.used")}>
                    <UsedText item={item} />
                  </Field>
                </Box>
                <HowRead item={item} />
              </Box>
            ))}
          </Box>
        </Box>
      ))}
    </Box>
  );
}

/**
 * Every HER2 result found, newest first, the IHC and ISH of one specimen together: a table where there is room, a
 * card list in a narrow EHR sidebar.
 */
export function EvidenceList({ evidence, sourceOpener }: EvidenceListProps) {
  const theme = useTheme();
  const wide = useMediaQuery(theme.breakpoints.up("md"));
  const t = useT();
  if (evidence.length === 0) {
    return <Typography data-testid="no-evidence">{t("evidence.none")}</Typography>;
  }
  const groups = groupEvidence(evidence);
  return wide ? (
    <EvidenceTable groups={groups} sourceOpener={sourceOpener} />
  ) : (
    <EvidenceCards groups={groups} sourceOpener={sourceOpener} />
  );
}
