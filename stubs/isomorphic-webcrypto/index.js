"use strict";
// fhirclient falls back to isomorphic-webcrypto only when globalThis.crypto is missing (never on Node >= 20 or a
// modern browser). The real package drags react-native into node_modules, so it is replaced by this stub.
module.exports = { default: globalThis.crypto };
