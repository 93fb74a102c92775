import Box from "@mui/material/Box";
import { useId } from "react";
import { LOCALE_NAMES, SUPPORTED_LOCALES, isLocale } from "../../i18n/locales";
import { printHide } from "../a11y";
import { useLocaleSetter } from "./I18nProvider";
import { useLocale } from "./locale-context";
import { useT } from "./translate";

/**
 * The page's language: a labelled native select (the platform's keyboard and screen-reader behaviour; small enough
 * for the 360 px EHR pane), each language named in its own words. The choice lasts for this browser tab. A plain
 * `<select>` styled with the theme rather than MUI's NativeSelect: the form-control machinery weighs about 7 kB
 * gzipped that the first screen's bundle budget cannot carry.
 */
export function LocaleSwitcher() {
  const setter = useLocaleSetter();
  const locale = useLocale();
  const t = useT();
  const id = useId();
  if (!setter) return null;
  return (
    <Box
      data-testid="locale-switcher"
      sx={{ display: "inline-flex", alignItems: "center", gap: 0.5, fontSize: "0.875rem" }}
      {...printHide}
    >
      <label htmlFor={id}>{t("locale.label")}</label>
      <Box
        component="select"
        id={id}
        value={locale}
        onChange={(event: React.ChangeEvent<HTMLSelectElement>) => {
          const next = event.target.value;
          if (isLocale(next)) setter.setLocale(next, { remember: true });
        }}
        sx={{
          font: "inherit",
          color: "text.primary",
          bgcolor: "background.paper",
          border: "1px solid",
          borderColor: "divider",
          borderRadius: 1,
          px: 0.5,
          py: 0.25,
          minHeight: 32,
          "&:focus-visible": { outline: "2px solid", outlineColor: "primary.main", outlineOffset: 1 },
        }}
      >
        {SUPPORTED_LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </Box>
    </Box>
  );
}
