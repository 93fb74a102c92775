/** Types of compiled-cli.js (plain JavaScript, so that bin/her2.js can run it before any TypeScript loader). */
export function sourcesHash(
  root: string,
  inputs: readonly string[],
  read?: (path: string) => Buffer | string,
): string | undefined;
export function currentCompiledCli(root: string, cacheDir: string): string | undefined;
export function compileCli(root: string, cacheDir: string, afterBuild?: () => void): Promise<string>;
