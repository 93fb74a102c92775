/** Settings read from environment variables (tests and benchmarks use them to reach sizes the defaults avoid). */

/** The variable's value when it is a whole number of 0 or more; undefined when unset, blank or anything else. */
export function wholeNumberFromEnvironment(name: string): number | undefined {
  const text = process.env[name]?.trim() ?? "";
  const value = Number(text);
  return text !== "" && Number.isInteger(value) && value >= 0 ? value : undefined;
}
