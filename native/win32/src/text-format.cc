#include "text-format.h"

#include <sddl.h>

#include <cstdio>
#include <vector>

namespace vigil {

std::string WideToUtf8(const wchar_t* text, size_t chars) {
  if (text == nullptr || chars == 0) return std::string();
  const int in = static_cast<int>(chars);
  const int need = WideCharToMultiByte(CP_UTF8, 0, text, in, nullptr, 0, nullptr, nullptr);
  if (need <= 0) return std::string();
  std::string out(static_cast<size_t>(need), '\0');
  WideCharToMultiByte(CP_UTF8, 0, text, in, &out[0], need, nullptr, nullptr);
  return out;
}

std::string WideToUtf8(const std::wstring& text) { return WideToUtf8(text.data(), text.size()); }

std::wstring Utf8ToWide(const std::string& text) {
  if (text.empty()) return std::wstring();
  const int in = static_cast<int>(text.size());
  const int need = MultiByteToWideChar(CP_UTF8, 0, text.data(), in, nullptr, 0);
  if (need <= 0) return std::wstring();
  std::wstring out(static_cast<size_t>(need), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, text.data(), in, &out[0], need);
  return out;
}

std::string AnsiToUtf8(const char* text, size_t bytes) {
  if (text == nullptr || bytes == 0) return std::string();
  const int in = static_cast<int>(bytes);
  const int need = MultiByteToWideChar(CP_ACP, 0, text, in, nullptr, 0);
  if (need <= 0) return std::string();
  std::wstring wide(static_cast<size_t>(need), L'\0');
  MultiByteToWideChar(CP_ACP, 0, text, in, &wide[0], need);
  return WideToUtf8(wide);
}

std::string FormatGuid(const GUID& g) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", static_cast<unsigned long>(g.Data1),
                g.Data2, g.Data3, g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6],
                g.Data4[7]);
  return buf;
}

std::string FormatSid(const void* sid) {
  PSID p = const_cast<PSID>(sid);
  if (p == nullptr || !IsValidSid(p)) return std::string();
  LPWSTR text = nullptr;
  if (!ConvertSidToStringSidW(p, &text)) return std::string();
  std::string out = WideToUtf8(text, wcslen(text));
  LocalFree(text);
  return out;
}

}  // namespace vigil
