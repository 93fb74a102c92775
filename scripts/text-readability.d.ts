/** Types for the parts of text-readability 1.1.1 (no bundled types) that the reading-level check uses. */
declare module "text-readability" {
  interface Readability {
    fleschKincaidGrade(text: string): number;
    fleschReadingEase(text: string): number;
    textStandard(text: string, floatOutput: true): number;
  }
  const readability: Readability;
  export default readability;
}
