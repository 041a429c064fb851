#include "process-info.h"

#include <winternl.h>

#include <cstring>
#include <vector>

#include "etw-defs.h"
#include "text-format.h"

namespace vigil {

namespace {

constexpr NTSTATUS kStatusInfoLengthMismatch = static_cast<NTSTATUS>(0xC0000004L);
constexpr NTSTATUS kStatusBufferOverflow = static_cast<NTSTATUS>(0x80000005L);
constexpr NTSTATUS kStatusBufferTooSmall = static_cast<NTSTATUS>(0xC0000023L);

// PROCESSINFOCLASS in older headers stops before the classes used here; the kernel takes any ULONG.
PROCESSINFOCLASS InfoClass(int value) {
  static_assert(sizeof(PROCESSINFOCLASS) == sizeof(int), "PROCESSINFOCLASS is an int-sized enum");
  PROCESSINFOCLASS c;
  std::memcpy(&c, &value, sizeof c);
  return c;
}

uint64_t Ticks(const FILETIME& ft) { return (static_cast<uint64_t>(ft.dwHighDateTime) << 32) | ft.dwLowDateTime; }

void QueryCommandLine(HANDLE h, ProcessFacts* f) {
  // A command line is at most 32767 UTF-16 units (a UNICODE_STRING's 65535-byte limit), so the second
  // attempt, sized by the first's answer, always fits it whole.
  std::vector<BYTE> buffer(4096);
  for (int attempt = 0; attempt < 2; attempt++) {
    ULONG need = 0;
    const NTSTATUS status = NtQueryInformationProcess(h, InfoClass(kProcessCommandLineInformation), buffer.data(),
                                                      static_cast<ULONG>(buffer.size()), &need);
    if (status == kStatusInfoLengthMismatch || status == kStatusBufferOverflow || status == kStatusBufferTooSmall) {
      if (need <= buffer.size() || need > kMaxCommandLineQueryBytes) return;
      buffer.resize(need);
      continue;
    }
    if (status < 0) return;
    const UNICODE_STRING* us = reinterpret_cast<const UNICODE_STRING*>(buffer.data());
    if (us->Buffer == nullptr) return;
    f->commandLine = WideToUtf8(us->Buffer, us->Length / sizeof(wchar_t));
    f->hasCommandLine = true;
    return;
  }
}

void QueryUser(HANDLE h, AccountCache* accounts, ProcessFacts* f) {
  HANDLE token = nullptr;
  if (!OpenProcessToken(h, TOKEN_QUERY, &token)) return;
  DWORD size = 0;
  GetTokenInformation(token, TokenUser, nullptr, 0, &size);
  if (size > 0) {
    std::vector<BYTE> buffer(size);
    if (GetTokenInformation(token, TokenUser, buffer.data(), size, &size)) {
      PSID sid = reinterpret_cast<TOKEN_USER*>(buffer.data())->User.Sid;
      f->userSid = FormatSid(sid);
      if (!f->userSid.empty() && accounts != nullptr) {
        AccountName account = accounts->Lookup(sid, f->userSid);
        f->userName = account.name;
        f->userDomain = account.domain;
      }
    }
  }
  CloseHandle(token);
}

}  // namespace

AccountName AccountCache::Lookup(PSID sid, const std::string& sidText) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = names_.find(sidText);
    if (it != names_.end()) return it->second;
  }
  wchar_t name[256];
  wchar_t domain[256];
  DWORD nameLen = 256, domainLen = 256;
  SID_NAME_USE use;
  AccountName result;
  if (LookupAccountSidW(nullptr, sid, name, &nameLen, domain, &domainLen, &use)) {
    result.name = WideToUtf8(name, nameLen);
    result.domain = WideToUtf8(domain, domainLen);
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (names_.size() >= kMax) {
    names_.erase(names_.begin());
    evictions_++;
  }
  names_.emplace(sidText, result);
  return result;
}

ProcessFacts QueryProcess(uint32_t pid, bool wantCommandLine, bool wantUser, AccountCache* accounts) {
  ProcessFacts f;
  HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
  if (h == nullptr) return f;
  f.opened = true;
  if (wantCommandLine) QueryCommandLine(h, &f);
  wchar_t path[MAX_PATH * 4];
  DWORD pathLen = MAX_PATH * 4;
  if (QueryFullProcessImageNameW(h, 0, path, &pathLen)) f.imagePath = WideToUtf8(path, pathLen);
  FILETIME created, exited, kernel, user;
  if (GetProcessTimes(h, &created, &exited, &kernel, &user)) {
    f.createTime = Ticks(created);
    f.hasCreateTime = true;
  }
  ULONGLONG sequence = 0;
  if (NtQueryInformationProcess(h, InfoClass(kProcessSequenceNumber), &sequence, sizeof sequence,
                                nullptr) >= 0) {
    f.sequence = sequence;
    f.hasSequence = true;
  }
  if (wantUser) QueryUser(h, accounts, &f);
  CloseHandle(h);
  return f;
}

}  // namespace vigil
