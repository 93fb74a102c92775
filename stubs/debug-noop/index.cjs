"use strict";
// Build-time replacement for the `debug` package inside fhirclient: its logging (enabled through
// localStorage.debug) can print token responses, which must never reach a console in production.
// CommonJS on purpose: fhirclient require()s it, and an ESM default export breaks at run time.
function noop() {}
noop.extend = function () {
  return noop;
};
noop.enabled = false;
module.exports = function createDebug() {
  return noop;
};
