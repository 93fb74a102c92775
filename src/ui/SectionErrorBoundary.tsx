import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import { Component, type ErrorInfo, type ReactNode } from "react";
import { printHide } from "./a11y";
import { useT } from "./i18n/translate";

interface SectionErrorBoundaryProps {
  /** Section name in words, for the message ("Evidence"). */
  name: string;
  children: ReactNode;
  /** Reloads the data; offered beside "show again" when the shell provides it. */
  onRetry?: () => void;
}

interface SectionErrorBoundaryState {
  error?: Error;
}

/**
 * Keeps one section's failure (odd data the component did not expect) from blanking the whole panel: the other
 * sections, above all the status, still show, and this one says plainly that it could not be displayed.
 */
/** The boundary's message (a class component cannot read the locale's texts itself). */
function SectionFailed({ name, onReset }: { name: string; onReset: () => void }) {
  const t = useT();
  return (
    <Alert
      severity="error"
      role="alert"
      action={
        <Button color="inherit" onClick={onReset} {...printHide}>
          {t("section.tryAgain")}
        </Button>
      }
    >
      {t("section.failed", { name })}
    </Alert>
  );
}

export class SectionErrorBoundary extends Component<SectionErrorBoundaryProps, SectionErrorBoundaryState> {
  override state: SectionErrorBoundaryState = {};

  static getDerivedStateFromError(error: Error): SectionErrorBoundaryState {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // The console is where an integration engineer looks first; no patient data is logged, only the stack.
    console.error(`HER2 panel section "${this.props.name}" failed to render`, error, info.componentStack);
  }

  private readonly reset = (): void => {
    this.setState({ error: undefined });
    this.props.onRetry?.();
  };

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return <SectionFailed name={this.props.name} onReset={this.reset} />;
  }
}
