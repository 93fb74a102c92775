import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import { displayDate } from "./dates";

/** The patient as the launch context names them (from `client.patient.read()`). */
export interface PanelPatient {
  name: string;
  birthDate?: string;
  gender?: string;
  /** `Patient/…` */
  reference: string;
}

/** "Name · DOB 1961-04-12 · female": the line a clinician checks against the EHR's own header. */
export function patientLine(patient: PanelPatient): string {
  const parts = [patient.name, `DOB ${patient.birthDate ? displayDate(patient.birthDate) : "not recorded"}`];
  if (patient.gender) parts.push(patient.gender);
  return parts.join(" · ");
}

interface PatientBannerProps {
  patient?: PanelPatient;
  /** The shell is still reading the patient: say so calmly rather than warn. */
  loading?: boolean;
}

/**
 * Name and date of birth of the patient in context, so a wrong-patient launch (a known Epic Hyperdrive problem) is
 * visible. Without a patient the banner says so rather than disappearing.
 */
export function PatientBanner({ patient, loading = false }: PatientBannerProps) {
  return (
    <Box
      component="header"
      data-testid="patient-banner"
      sx={{
        px: { xs: 1.5, sm: 2 },
        py: 0.75,
        bgcolor: "background.paper",
        borderBottom: "1px solid",
        borderColor: "divider",
      }}
    >
      {patient ? (
        <Typography sx={{ fontWeight: 600 }}>
          <Box component="span" sx={{ fontSize: "1rem" }}>
            {patient.name}
          </Box>
          <Box component="span" sx={{ fontWeight: 400 }}>
            {" · "}DOB {patient.birthDate ? displayDate(patient.birthDate) : "not recorded"}
            {patient.gender ? ` · ${patient.gender}` : ""}
          </Box>
        </Typography>
      ) : loading ? (
        <Typography sx={{ color: "text.secondary" }}>Loading patient…</Typography>
      ) : (
        <Typography sx={{ fontWeight: 600, color: "error.main" }}>
          Patient name and date of birth could not be read. Confirm the patient in the EHR before using this
          panel.
        </Typography>
      )}
    </Box>
  );
}
