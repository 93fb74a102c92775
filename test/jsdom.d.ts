/**
 * The part of jsdom's API the node-environment tests use (jsdom 29 ships no types and @types/jsdom is not a
 * dependency): a window to parse server-rendered markup into a DOM, where the sandbox server must run in node.
 */
declare module "jsdom" {
  export class JSDOM {
    constructor(html?: string);
    readonly window: Window & typeof globalThis;
  }
}
