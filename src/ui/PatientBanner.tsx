import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import { displayDate } from "./dates";
import { type Translate, englishT, useDisplayDate, useT } from "./i18n/translate";

/** The patient as the launch context names them (from `client.patient.read()`). */
export interface PanelPatient {
  name: string;
  birthDate?: string;
  gender?: string;
  /** `Patient/…` */
  reference: string;
}

/** "Name · DOB 1961-04-12 · female": the line a clinician checks against the EHR's own header. */
export function patientLine(
  patient: PanelPatient,
  t: Translate = englishT,
  date: (iso: string) => string = displayDate,
): string {
  const parts = [patient.name, dobText(patient, t, date)];
  if (patient.gender) parts.push(genderText(patient.gender, t));
  return parts.join(" · ");
}

const GENDERS = new Set(["male", "female", "other", "unknown"]);

/** FHIR administrative gender in words; any other value is shown as recorded. */
function genderText(gender: string, t: Translate): string {
  return GENDERS.has(gender) ? t(`gender.${gender as "male" | "female" | "other" | "unknown"}`) : gender;
}

function dobText(patient: PanelPatient, t: Translate, date: (iso: string) => string): string {
  return patient.birthDate ? t("banner.dob", { date: date(patient.birthDate) }) : t("banner.dobUnknown");
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
  const t = useT();
  const date = useDisplayDate();
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
            {" · "}
            {dobText(patient, t, date)}
            {patient.gender ? ` · ${genderText(patient.gender, t)}` : ""}
          </Box>
        </Typography>
      ) : loading ? (
        <Typography sx={{ color: "text.secondary" }}>{t("banner.loading")}</Typography>
      ) : (
        <Typography sx={{ fontWeight: 600, color: "error.main" }}>{t("banner.unreadable")}</Typography>
      )}
    </Box>
  );
}
