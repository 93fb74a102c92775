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
import { displayDate } from "./dates";
import { groupEvidence, type EvidenceGroup } from "./evidence";
import { methodLabel, methodLongLabel, resultStatusLabel } from "./labels";
import { SourceButton } from "./SourceButton";

interface EvidenceListProps {
  evidence: readonly EvidenceItem[];
  sourceOpener: (reference: ResourceRef) => ((reference: ResourceRef) => void) | undefined;
}

/** Result statuses that are ordinary for a reported result and need no mention. */
const QUIET_STATUSES = new Set(["final", "amended", "corrected"]);

function groupTitle(group: EvidenceGroup): string {
  const title = group.specimenKnown ? `Specimen ${group.specimenName}` : "Specimen not recorded";
  return group.bodySite ? `${title} · ${group.bodySite}` : title;
}

/** The value exactly as recorded; the summary the rules used when the record gave nothing more literal. */
function recorded(item: EvidenceItem): string {
  return item.rawValue ?? item.value;
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
  return (
    <>
      {item.interpretation ?? item.value}
      {item.readAs ? (
        <Box component="span" sx={{ display: "block", color: "text.secondary", fontSize: "0.8125rem" }}>
          {item.readAs}
        </Box>
      ) : null}
    </>
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
            <TableCell scope="col">Date</TableCell>
            <TableCell scope="col">Method</TableCell>
            <TableCell scope="col">Value as recorded</TableCell>
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
                <TableCell sx={{ wordBreak: "break-word" }}>{recorded(item)}</TableCell>
                <TableCell>
                  <ReadAs item={item} />
                </TableCell>
                <TableCell>
                  <UsedText item={item} />
                </TableCell>
                <TableCell>
                  <Box component="span" sx={{ display: "block", fontSize: "0.8125rem" }}>
                    <Reference value={item.resource} />
                  </Box>
                  <SourceButton reference={item.resource} onShow={sourceOpener(item.resource)} />
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
                    {displayDate(item.date)} · <MethodText item={item} />
                  </Typography>
                  <Box sx={{ ml: "auto" }}>
                    <SourceButton reference={item.resource} onShow={sourceOpener(item.resource)} />
                  </Box>
                </Box>
                <Box component="dl" sx={{ m: 0, mt: 0.25 }}>
                  <Field term="As recorded">{recorded(item)}</Field>
                  <Field term="Read as">
                    <ReadAs item={item} />
                  </Field>
                  <Field term="Used">
                    <UsedText item={item} />
                  </Field>
                  <Field term="Source">
                    <Reference value={item.resource} />
                  </Field>
                </Box>
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
