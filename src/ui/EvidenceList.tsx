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
import { displayDate } from "./dates";
import { groupEvidence, type EvidenceGroup } from "./evidence";
import { methodLabel, methodLongLabel, resultStatusLabel } from "./labels";
import { printHide } from "./a11y";
import { SourceButton } from "./SourceButton";

interface EvidenceListProps {
  evidence: readonly EvidenceItem[];
  sourceOpener: (reference: ResourceRef) => ((reference: ResourceRef) => void) | undefined;
}

/** Result statuses that are ordinary for a reported result and need no mention. */
const QUIET_STATUSES = new Set(["final", "amended", "corrected"]);

function groupTitle(group: EvidenceGroup): string {
  const title = group.specimenKnown ? `Specimen ${group.specimenName}` : "Specimen not recorded";
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
  return (
    <Box component="details" data-testid="how-read" sx={{ fontSize: "0.8125rem", mt: 0.25 }} {...printHide}>
      <Box component="summary" sx={{ cursor: "pointer", minHeight: 24, lineHeight: "24px" }}>
        How it was read
      </Box>
      <Box component="dl" sx={{ m: 0, wordBreak: "break-word" }}>
        <dt>As recorded</dt>
        <dd>{item.rawValue ?? item.value}</dd>
        {item.readAs ? (
          <>
            <dt>Read from</dt>
            <dd>{item.readAs}</dd>
          </>
        ) : null}
        <dt>Resource</dt>
        <dd>
          <Reference value={item.resource} />
        </dd>
      </Box>
    </Box>
  );
}

function UsedText({ item }: { item: EvidenceItem }) {
  if (item.used) return <>Used</>;
  return (
    <>
      <Box component="span" sx={{ fontWeight: 600 }}>
        Not used
      </Box>
      {`: ${item.notUsedReason ?? "reason not given"}`}
    </>
  );
}

function MethodText({ item }: { item: EvidenceItem }) {
  return (
    <>
      <abbr title={methodLongLabel[item.method]} style={{ textDecoration: "none" }}>
        {methodLabel[item.method]}
      </abbr>
      {QUIET_STATUSES.has(item.status) ? null : (
        <Box component="span" sx={{ display: "block", fontSize: "0.8125rem" }}>
          {resultStatusLabel[item.status]}
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
  return (
    <TableContainer
      sx={{ border: "1px solid", borderColor: "divider", borderRadius: 1, bgcolor: "background.paper" }}
    >
      <Table aria-label="HER2 results, newest first, grouped by specimen">
        <TableHead>
          <TableRow>
            <TableCell scope="col">Result date</TableCell>
            <TableCell scope="col">Method</TableCell>
            <TableCell scope="col">Result</TableCell>
            <TableCell scope="col">Read as</TableCell>
            <TableCell scope="col">Used</TableCell>
            <TableCell scope="col">Source</TableCell>
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
                {groupTitle(group)}
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
            {groupTitle(group)}
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
                  <Field term="Result">{resultText(item)}</Field>
                  <Field term="Read as">
                    <ReadAs item={item} />
                  </Field>
                  <Field term="Result date">{displayDate(item.date)}</Field>
                  <Field term="Used">
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
  if (evidence.length === 0) {
    return <Typography data-testid="no-evidence">No HER2 test results were found in the record.</Typography>;
  }
  const groups = groupEvidence(evidence);
  return wide ? (
    <EvidenceTable groups={groups} sourceOpener={sourceOpener} />
  ) : (
    <EvidenceCards groups={groups} sourceOpener={sourceOpener} />
  );
}
