// The processes already running when the session starts (Toolhelp), as records of source `snapshot` shaped like
// ProcessStart (ProcessID, ParentProcessID, SessionID, CreateTime, ProcessSequenceNumber, ImageName), enriched
// like a start. Runs after the session is live, so a process starting meanwhile is seen by one or the other.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

#include "etw-record.h"
#include "record-enricher.h"

namespace vigil {

// Emits one record per running process (parents first in the table, so parent identities resolve); stops
// early when `stopping` is set. Returns how many were emitted.
uint64_t ScanRunningProcesses(RecordEnricher* enricher, const std::atomic<bool>& stopping,
                              const std::function<void(EtwRecord&&)>& emit);

}  // namespace vigil
