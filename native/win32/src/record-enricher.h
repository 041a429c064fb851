// Adds to a decoded record what its event lacks, from the addon's own tables and from live queries:
// - ProcessStart: command line (the kernel's, else the PEB's), Win32 image path, token user, sequence numbers when the event
//   version has none, the parent's identity;
// - ProcessStop: the identity and image path the start recorded;
// - network: the identity and image path of PID; UDP datagrams after a flow's first are suppressed;
// - file: the identity and image path of the process that opened the file.
// Values go to `record.enrich`, never over the manifest's `props`.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "device-path-map.h"
#include "etw-record.h"
#include "pid-table.h"
#include "process-info.h"
#include "udp-flow-table.h"

namespace vigil {

struct EnricherOptions {
  bool fetchCommandLine = true;
  bool resolveUsers = true;
};

struct EnricherStats {
  uint64_t commandLineFromKernel = 0;
  uint64_t commandLineFetched = 0;
  uint64_t commandLineUnavailable = 0;
  uint64_t liveQueries = 0;
};

class RecordEnricher {
 public:
  RecordEnricher() : pids_(32768), udp_(4096, 60000) {}
  void Reset(const EnricherOptions& options);
  // `kernelCommandLine`: the command line the kernel logged at creation, when the session had it; otherwise
  // it is read from the process (which may already have exited).
  void ProcessStart(EtwRecord* record, const std::string* kernelCommandLine);
  void ProcessStop(EtwRecord* record);
  // False when the record is a repeat UDP datagram and should not be emitted.
  bool Network(EtwRecord* record);
  // A file change: the identity and image path of the process that opened the file.
  void File(EtwRecord* record, uint32_t pid) { AddIdentity(record, "", pid, true); }
  // \Device\HarddiskVolume3\x -> C:\x (UTF-8); empty when no drive maps it.
  std::string DosPath(const std::string& ntPath);
  // A process found running at start: props already hold the Toolhelp facts.
  void Snapshot(EtwRecord* record);
  // Second pass over a snapshot, once every running process is in the table.
  void SnapshotParent(EtwRecord* record);

  EnricherStats Stats() const;
  PidTableStats PidStats() const { return pids_.Stats(); }
  UdpFlowStats UdpStats() const;
  uint64_t AccountEvictions() const { return accounts_.Evictions(); }

 private:
  void AddIdentity(EtwRecord* record, const char* prefix, uint32_t pid, bool liveQuery);

  EnricherOptions options_;
  PidTable pids_;
  UdpFlowTable udp_;
  DevicePathMap devices_;
  AccountCache accounts_;
  mutable std::mutex mu_;  // guards stats_ and udp_ (the ETW and snapshot threads write, JS reads)
  EnricherStats stats_;
};

}  // namespace vigil
