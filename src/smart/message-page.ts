/** Plain-DOM message screen for the launch page (which ships no React). Text only: never innerHTML. */
import { type LaunchText, englishLaunchText } from "./launch-text";

export interface MessageLink {
  href: string;
  text: string;
}

export interface LaunchMessage {
  title: string;
  paragraphs: string[];
  links?: MessageLink[];
  /** Technical detail for the integration engineer, shown in a disclosure. */
  detail?: string;
}

export function renderMessage(
  root: HTMLElement,
  message: LaunchMessage,
  t: LaunchText = englishLaunchText,
): void {
  const doc = root.ownerDocument;
  const main = doc.createElement("main");
  const h1 = doc.createElement("h1");
  h1.textContent = message.title;
  main.append(h1);
  for (const text of message.paragraphs) {
    const p = doc.createElement("p");
    p.textContent = text;
    main.append(p);
  }
  if (message.links && message.links.length > 0) {
    const ul = doc.createElement("ul");
    for (const link of message.links) {
      const li = doc.createElement("li");
      const a = doc.createElement("a");
      a.href = link.href;
      a.textContent = link.text;
      li.append(a);
      ul.append(li);
    }
    main.append(ul);
  }
  if (message.detail) {
    const details = doc.createElement("details");
    const summary = doc.createElement("summary");
    summary.textContent = t("detail");
    const pre = doc.createElement("pre");
    pre.textContent = message.detail;
    details.append(summary, pre);
    main.append(details);
  }
  root.replaceChildren(main);
  doc.title = `${message.title} – ${t("page.suffix")}`;
}
