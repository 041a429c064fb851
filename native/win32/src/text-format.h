// Text conversions for records: UTF-16 and ANSI to UTF-8, GUIDs, SIDs (IP addresses: ip-format.h).
#pragma once

#include <windows.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "ip-format.h"

namespace vigil {

// UTF-16 (possibly unterminated, `chars` code units) to UTF-8; unpaired surrogates become U+FFFD.
std::string WideToUtf8(const wchar_t* text, size_t chars);
std::string WideToUtf8(const std::wstring& text);
std::wstring Utf8ToWide(const std::string& text);
// Text in the system ANSI code page to UTF-8.
std::string AnsiToUtf8(const char* text, size_t bytes);
std::string FormatGuid(const GUID& guid);
// A SID as S-1-5-21-...; empty when invalid.
std::string FormatSid(const void* sid);

}  // namespace vigil
