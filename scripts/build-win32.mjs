#!/usr/bin/env node
// Placeholder until native/win32 lands.
console.error('build:win32: native/win32 is not built yet');
