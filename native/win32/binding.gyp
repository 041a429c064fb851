# node-gyp build of the ETW addon on Windows itself (MSVC): `npx node-gyp rebuild -C native/win32`, which
# writes build/Release/vigil_etw.node. On Linux, `npm run build:win32` cross-builds the same sources with
# mingw-w64 (scripts/build-win32.mjs). On other platforms the target is empty: nothing is built, nothing breaks.
{
  "targets": [
    {
      "target_name": "vigil_etw",
      "conditions": [
        ["OS=='win'", {
          "sources": [
            "src/addon.cc",
            "src/command-line-cache.cc",
            "src/device-path-map.cc",
            "src/etw-session.cc",
            "src/file-tracker.cc",
            "src/ip-format.cc",
            "src/kernel-file-parse.cc",
            "src/pid-table.cc",
            "src/process-info.cc",
            "src/process-snapshot.cc",
            "src/record-enricher.cc",
            "src/record-queue.cc",
            "src/tdh-decoder.cc",
            "src/text-format.cc",
            "src/udp-flow-table.cc"
          ],
          "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
          "defines": [
            "NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED",
            "UNICODE", "_UNICODE", "WIN32_LEAN_AND_MEAN", "NOMINMAX", "_WIN32_WINNT=0x0A00", "WINVER=0x0A00"
          ],
          "libraries": ["tdh.lib", "advapi32.lib", "ntdll.lib"],
          "msvs_settings": {
            "VCCLCompilerTool": {
              "ExceptionHandling": 1,
              "WarningLevel": 4,
              "WarnAsError": "true",
              "AdditionalOptions": ["/std:c++17", "/utf-8"]
            }
          }
        }, {
          "type": "none"
        }]
      ]
    }
  ]
}
