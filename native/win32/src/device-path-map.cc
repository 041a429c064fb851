#include "device-path-map.h"

#include <cwctype>

namespace vigil {

namespace {

bool StartsWithNoCase(const std::wstring& s, const std::wstring& prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); i++) {
    if (std::towlower(s[i]) != std::towlower(prefix[i])) return false;
  }
  return true;
}

}  // namespace

void DevicePathMap::Rebuild() {
  devices_.clear();
  wchar_t drives[512];
  const DWORD n = GetLogicalDriveStringsW(512, drives);
  if (n == 0 || n > 512) return;
  for (const wchar_t* d = drives; *d != L'\0'; d += wcslen(d) + 1) {
    std::wstring letter(d, 2);  // "C:"
    wchar_t target[1024];
    if (QueryDosDeviceW(letter.c_str(), target, 1024) == 0) continue;
    devices_.emplace_back(std::wstring(target), letter);
  }
  rebuilds_++;
}

std::wstring DevicePathMap::ToDosPath(const std::wstring& nt) {
  if (nt.size() >= 3 && nt[1] == L':' && nt[2] == L'\\' && std::iswalpha(nt[0])) return nt;
  if (nt.size() >= 7 && nt.compare(0, 4, L"\\??\\") == 0 && nt[5] == L':') return nt.substr(4);
  if (StartsWithNoCase(nt, L"\\SystemRoot\\")) {
    wchar_t windir[MAX_PATH];
    const UINT len = GetWindowsDirectoryW(windir, MAX_PATH);
    if (len > 0 && len < MAX_PATH) return std::wstring(windir, len) + nt.substr(11);
  }
  std::lock_guard<std::mutex> lock(mu_);
  for (int pass = 0; pass < 2; pass++) {
    for (const auto& [device, letter] : devices_) {
      if (StartsWithNoCase(nt, device) && nt.size() > device.size() && nt[device.size()] == L'\\') {
        return letter + nt.substr(device.size());
      }
    }
    const ULONGLONG now = GetTickCount64();
    if (pass == 1 || (rebuilds_ > 0 && now - lastRebuild_ < 30000)) break;
    lastRebuild_ = now;
    Rebuild();
  }
  return std::wstring();
}

}  // namespace vigil
