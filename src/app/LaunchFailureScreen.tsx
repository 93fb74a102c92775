import Alert from "@mui/material/Alert";
import AlertTitle from "@mui/material/AlertTitle";
import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import type { LaunchFailure } from "../smart/ready";
import { useT } from "../ui/i18n/translate";
import { describeLaunchFailure } from "./launch-failure-text";

/** Full-page explanation of why the launch did not produce a usable session, and what to do next. */
export function LaunchFailureScreen({
  failure,
  shownAgain = false,
}: {
  failure: LaunchFailure;
  shownAgain?: boolean;
}) {
  const t = useT();
  const text = describeLaunchFailure(failure, t);
  const what = shownAgain ? t("message.shownAgain", { what: text.what }) : text.what;
  return <MessageScreen title={text.title} what={what} todo={text.todo} detail={text.detail} />;
}

export function MessageScreen(props: {
  title: string;
  what: string;
  todo: string;
  detail?: string | undefined;
}) {
  const t = useT();
  return (
    <Box component="main" sx={{ p: 2, maxWidth: 720 }}>
      <Typography variant="h5" component="h1" gutterBottom>
        {t("app.title")}
      </Typography>
      <Alert severity="error" role="alert">
        <AlertTitle component="h2">{props.title}</AlertTitle>
        <Typography variant="body2" component="p" sx={{ mb: 1 }}>
          {props.what}
        </Typography>
        <Typography variant="body2" component="p">
          <strong>{t("message.whatToDo")} </strong>
          {props.todo}
        </Typography>
      </Alert>
      {props.detail ? (
        <Box component="details" sx={{ mt: 2 }}>
          <summary>{t("message.technicalDetail")}</summary>
          <Box component="pre" sx={{ whiteSpace: "pre-wrap", wordBreak: "break-word", fontSize: 12 }}>
            {props.detail}
          </Box>
        </Box>
      ) : null}
    </Box>
  );
}
