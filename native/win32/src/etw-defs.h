// Constants of the ETW, TDH and NT APIs the addon uses. Values are the documented ones (evntprov.h, evntcons.h,
// tdh.h, winternl.h of the Windows SDK); some are missing from older mingw-w64 headers, so they are defined
// here when absent.
#pragma once

#include <windows.h>
#include <evntrace.h>
#include <evntcons.h>
#include <tdh.h>

#include <cstdint>

#ifndef EVENT_FILTER_TYPE_EVENT_ID
#define EVENT_FILTER_TYPE_EVENT_ID 0x80000200u
#endif
#ifndef EVENT_ENABLE_PROPERTY_PROCESS_START_KEY
#define EVENT_ENABLE_PROPERTY_PROCESS_START_KEY 0x00000080u
#endif
#ifndef EVENT_HEADER_EXT_TYPE_PROCESS_START_KEY
#define EVENT_HEADER_EXT_TYPE_PROCESS_START_KEY 0x000D
#endif

namespace vigil {

// Microsoft-Windows-Kernel-Process {22fb2cd6-0e7b-422b-a0c7-2fad1fd0e716}
inline constexpr GUID kKernelProcessGuid = {0x22fb2cd6, 0x0e7b, 0x422b, {0xa0, 0xc7, 0x2f, 0xad, 0x1f, 0xd0, 0xe7, 0x16}};
// Microsoft-Windows-Kernel-Network {7dd42a49-5329-4832-8dfd-43d979153a88}
inline constexpr GUID kKernelNetworkGuid = {0x7dd42a49, 0x5329, 0x4832, {0x8d, 0xfd, 0x43, 0xd9, 0x79, 0x15, 0x3a, 0x88}};

// Microsoft-Windows-Kernel-File {edd08927-9cc4-4e65-b970-c2560fb5c289}; its keywords and event ids are in
// kernel-file-parse.h (platform-neutral, unit-tested).
inline constexpr GUID kKernelFileGuid = {0xedd08927, 0x9cc4, 0x4e65, {0xb9, 0x70, 0xc2, 0x56, 0x0f, 0xb5, 0xc2, 0x89}};

// The kernel's classic Process event class (MSNT_SystemTrace Process, {3d6fa8d0-fe05-11d0-9dda-00c04fd7ba7c}),
// delivered to a system-logger-mode session with EVENT_TRACE_FLAG_PROCESS. Its Start (opcode 1) carries the
// CommandLine that the Kernel-Process ProcessStart lacks, captured in the kernel at creation.
inline constexpr GUID kKernelProcessClassGuid = {0x3d6fa8d0, 0xfe05, 0x11d0, {0x9d, 0xda, 0x00, 0xc0, 0x4f, 0xd7, 0xba, 0x7c}};
inline constexpr UCHAR kClassicProcessStartOpcode = 1;

// Kernel-Process keyword WINEVENT_KEYWORD_PROCESS; events ProcessStart (1) and ProcessStop (2).
inline constexpr ULONGLONG kKeywordProcess = 0x10;
inline constexpr USHORT kProcessEventIds[] = {1, 2};
// Kernel-Network keywords KERNEL_NETWORK_KEYWORD_IPV4 / _IPV6. TCP connect (12 / 28), disconnect (13 / 29),
// accept (15 / 31); UDP send (42 / 58) and receive (43 / 59), IPv4 / IPv6. Send/receive of TCP data (10, 11,
// 26, 27) are filtered out by the session: they are per packet and carry nothing the rules need.
inline constexpr ULONGLONG kKeywordIpv4 = 0x10;
inline constexpr ULONGLONG kKeywordIpv6 = 0x20;
inline constexpr USHORT kNetworkEventIds[] = {12, 13, 15, 28, 29, 31, 42, 43, 58, 59};
inline constexpr USHORT kUdpSendIds[] = {42, 58};
inline constexpr USHORT kUdpRecvIds[] = {43, 59};

// _TDH_IN_TYPE / _TDH_OUT_TYPE values (winmeta.xml).
enum TdhInType : USHORT {
  kInUnicodeString = 1, kInAnsiString = 2, kInInt8 = 3, kInUInt8 = 4, kInInt16 = 5, kInUInt16 = 6,
  kInInt32 = 7, kInUInt32 = 8, kInInt64 = 9, kInUInt64 = 10, kInFloat = 11, kInDouble = 12, kInBoolean = 13,
  kInBinary = 14, kInGuid = 15, kInPointer = 16, kInFiletime = 17, kInSystemtime = 18, kInSid = 19,
  kInHexInt32 = 20, kInHexInt64 = 21,
};
enum TdhOutType : USHORT { kOutPort = 22, kOutIpv4 = 23, kOutIpv6 = 24 };

// PROCESSINFOCLASS values (winternl.h / ntpsapi.h).
inline constexpr int kProcessCommandLineInformation = 60;  // UNICODE_STRING, Windows 8.1+
inline constexpr int kProcessSequenceNumber = 92;          // ULONGLONG, Windows 10 1803+

}  // namespace vigil
