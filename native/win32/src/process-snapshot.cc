#include "process-snapshot.h"

#include <windows.h>
#include <tlhelp32.h>

#include <cwchar>
#include <vector>

#include "text-format.h"

namespace vigil {

uint64_t ScanRunningProcesses(RecordEnricher* enricher, const std::atomic<bool>& stopping,
                              const std::function<void(EtwRecord&&)>& emit) {
  HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  if (snap == INVALID_HANDLE_VALUE) return 0;
  FILETIME now;
  GetSystemTimeAsFileTime(&now);
  const uint64_t ts = (static_cast<uint64_t>(now.dwHighDateTime) << 32) | now.dwLowDateTime;
  std::vector<EtwRecord> records;
  PROCESSENTRY32W entry;
  entry.dwSize = sizeof entry;
  for (BOOL ok = Process32FirstW(snap, &entry); ok && !stopping.load(); ok = Process32NextW(snap, &entry)) {
    if (entry.th32ProcessID == 0) continue;  // the idle process is no process
    EtwRecord r;
    r.source = RecordSource::kSnapshot;
    r.provider = Provider::kSnapshot;
    r.timestamp = ts;
    r.props.push_back(EtwValue::Number("ProcessID", entry.th32ProcessID));
    r.props.push_back(EtwValue::Number("ParentProcessID", entry.th32ParentProcessID));
    r.props.push_back(EtwValue::String("ImageName", WideToUtf8(entry.szExeFile, wcslen(entry.szExeFile))));
    DWORD sessionId = 0;
    if (ProcessIdToSessionId(entry.th32ProcessID, &sessionId)) r.props.push_back(EtwValue::Number("SessionID", sessionId));
    enricher->Snapshot(&r);  // first pass: every running process enters the pid table
    records.push_back(std::move(r));
  }
  CloseHandle(snap);
  uint64_t emitted = 0;
  for (EtwRecord& r : records) {
    if (stopping.load()) break;
    enricher->SnapshotParent(&r);  // second pass: parents are all known now
    emit(std::move(r));
    emitted++;
  }
  return emitted;
}

}  // namespace vigil
