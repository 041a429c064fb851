// Turns the NT paths ETW reports (\Device\HarddiskVolume3\Windows\System32\cmd.exe) into Win32 paths
// (C:\Windows\System32\cmd.exe) through the drive letters' QueryDosDeviceW targets. The table is rebuilt when a
// path matches no device, at most once every 30 seconds (drives come and go).
#pragma once

#include <windows.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace vigil {

class DevicePathMap {
 public:
  // The Win32 form of `ntPath`, or an empty string when no drive maps it. \??\C:\x and \SystemRoot\x are
  // handled too.
  std::wstring ToDosPath(const std::wstring& ntPath);
  uint64_t Rebuilds() const { return rebuilds_; }

 private:
  void Rebuild();
  std::mutex mu_;
  std::vector<std::pair<std::wstring, std::wstring>> devices_;  // (\Device\HarddiskVolume3, C:)
  ULONGLONG lastRebuild_ = 0;
  uint64_t rebuilds_ = 0;
};

}  // namespace vigil
