/**
 * The English of the deferred texts (src/ui/deferred/messages: the timeline's and the chart copy's), for their code
 * outside React; only the lazy sections import it, so the panel's first screen does not carry these texts.
 */
import { createIntl } from "react-intl";
import { ENGLISH_MESSAGES, type Translate } from "../i18n/translate";
import en from "./messages/en.json";

const english = createIntl({ locale: "en", messages: { ...ENGLISH_MESSAGES, ...en } });

export const deferredEnglishT: Translate = (id, values) => english.formatMessage({ id }, values);
