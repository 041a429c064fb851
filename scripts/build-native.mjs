#!/usr/bin/env node
// Placeholder until native/linux lands: reports that the eBPF helper is not built.
console.error('build:native: native/linux is not built yet');
