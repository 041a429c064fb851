// What the addon asks Windows about a live process when an event lacks it: command line (the PEB's, through
// NtQueryInformationProcess), Win32 image path, create time, process sequence number, token user.
// Every query can fail (the process already exited, access denied): each field says whether it was had.
#pragma once

#include <windows.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace vigil {

struct ProcessFacts {
  bool opened = false;
  bool hasCommandLine = false;
  std::string commandLine;
  std::string imagePath;
  bool hasCreateTime = false;
  uint64_t createTime = 0;  // FILETIME ticks
  bool hasSequence = false;
  uint64_t sequence = 0;
  std::string userSid;
  std::string userName;
  std::string userDomain;
};

struct AccountName {
  std::string name;
  std::string domain;
};

// SID -> (name, domain) through LookupAccountSidW, cached (bounded; lookups can be slow on domain machines).
class AccountCache {
 public:
  AccountName Lookup(PSID sid, const std::string& sidText);
  uint64_t Evictions() const { return evictions_; }

 private:
  static constexpr size_t kMax = 1024;
  std::mutex mu_;
  std::map<std::string, AccountName> names_;
  uint64_t evictions_ = 0;
};

// The most a ProcessCommandLineInformation answer can need: a UNICODE_STRING header and 65535 bytes.
inline constexpr ULONG kMaxCommandLineQueryBytes = 64 * 1024 + 64;

ProcessFacts QueryProcess(uint32_t pid, bool wantCommandLine, bool wantUser, AccountCache* accounts);

}  // namespace vigil
