import FormControl from "@mui/material/FormControl";
import InputLabel from "@mui/material/InputLabel";
import NativeSelect from "@mui/material/NativeSelect";
import { useId } from "react";
import { LOCALE_NAMES, SUPPORTED_LOCALES, isLocale } from "../../i18n/locales";
import { printHide } from "../a11y";
import { useLocaleSetter } from "./I18nProvider";
import { useLocale } from "./locale-context";
import { useT } from "./translate";

/**
 * The page's language: a labelled native select (keyboard and screen-reader behaviour of the platform, small enough
 * for the 360 px EHR pane), each language named in its own words. The choice lasts for this browser tab.
 */
export function LocaleSwitcher() {
  const setter = useLocaleSetter();
  const locale = useLocale();
  const t = useT();
  const id = useId();
  if (!setter) return null;
  return (
    <FormControl size="small" variant="standard" sx={{ minWidth: 96 }} {...printHide}>
      <InputLabel htmlFor={id} shrink>
        {t("locale.label")}
      </InputLabel>
      <NativeSelect
        id={id}
        value={locale}
        onChange={(event) => {
          const next = event.target.value;
          if (isLocale(next)) setter.setLocale(next, { remember: true });
        }}
      >
        {SUPPORTED_LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </NativeSelect>
    </FormControl>
  );
}
