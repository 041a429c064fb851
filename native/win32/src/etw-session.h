// The real-time ETW session: StartTrace (after stopping a stale session of the same name), EnableTraceEx2 for
// Microsoft-Windows-Kernel-Process and Microsoft-Windows-Kernel-Network (event-id filtered), OpenTrace, and
// ProcessTrace on its own thread. Each event is decoded with TDH, enriched, and pushed to the bounded queue;
// `signal` is called (on the ETW thread) when the queue goes from empty to non-empty. Stop is ControlTrace
// STOP, then the consumer thread ends once ETW has delivered what it holds.
#pragma once

#include <windows.h>
#include <evntrace.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "command-line-cache.h"
#include "file-tracker.h"
#include "record-enricher.h"
#include "record-queue.h"
#include "tdh-decoder.h"

namespace vigil {

struct SessionOptions {
  std::wstring name = L"Vigil-ETW";
  size_t queueCapacity = 8192;
  bool process = true;
  bool network = true;
  bool snapshot = true;
  // Microsoft-Windows-Kernel-File: file changes (creation, modification, overwrite, deletion, rename) and opens
  // of the sensitive paths, tracked and filtered here (file-tracker.h) before anything crosses into JS.
  bool files = false;
  std::vector<SensitivePattern> sensitive;
  size_t fileObjects = 65536;
  size_t reportedOpens = 16384;
  // Run the session in system-logger mode with the kernel's Process events, for command lines captured at
  // creation (Windows 8+; when refused, the session runs without and command lines come from the PEB).
  bool kernelCommandLines = true;
  EnricherOptions enrich;
};

struct SessionStats {
  bool running = false;
  uint64_t callbacks = 0;      // events ETW delivered
  uint64_t emitted = 0;        // records queued
  uint64_t unknownEvents = 0;  // other providers / event ids (should stay 0 with the filters)
  uint64_t handlerErrors = 0;  // events dropped because handling threw (allocation failure)
  uint64_t snapshotProcesses = 0;
  bool systemLogger = false;       // the session got the kernel's Process events
  uint64_t pendingStartsHighWater = 0;
  CommandLineCacheStats kernelCommandLines;
  uint64_t staleSessionsStopped = 0;
  uint64_t etwEventsLost = 0;          // EVENT_TRACE_PROPERTIES.EventsLost
  uint64_t etwRealTimeBuffersLost = 0; // EVENT_TRACE_PROPERTIES.RealTimeBuffersLost
  ULONG processTraceStatus = 0;
  DecoderStats decoder;
  QueueStats queue;
  EnricherStats enricher;
  PidTableStats pids;
  UdpFlowStats udp;
  FileTrackerStats files;
  uint64_t fileParseErrors = 0;   // Kernel-File events too short for their layout
  uint64_t fileOldVersion = 0;    // version 0 events (before Windows 10), not read
  uint64_t fileOwnProcess = 0;    // the agent's own file I/O, skipped
};

class EtwSession {
 public:
  using Signal = std::function<void()>;
  EtwSession() : queue_(8192) {}
  ~EtwSession() { Stop(); }
  EtwSession(const EtwSession&) = delete;
  EtwSession& operator=(const EtwSession&) = delete;

  // Returns ERROR_SUCCESS, or the Win32 error of the step named in `*step`.
  ULONG Start(const SessionOptions& options, Signal signal, std::string* step);
  // Idempotent. After it returns no thread touches the queue.
  void Stop();
  bool Running() const { return running_.load(); }
  RecordQueue& Queue() { return queue_; }
  SessionStats Stats();

 private:
  static void WINAPI OnEvent(PEVENT_RECORD record);
  static ULONG WINAPI OnBuffer(PEVENT_TRACE_LOGFILEW logfile);
  void StartProcess(EtwRecord&& record, bool mayWait);
  void FlushPending();
  void Handle(PEVENT_RECORD record);
  void HandleFile(PEVENT_RECORD record);
  void Emit(EtwRecord&& record);
  void RunSnapshot();
  ULONG Enable(const GUID& provider, ULONGLONG keywords, const USHORT* ids, size_t count, ULONG properties);
  std::vector<BYTE> Properties(bool systemLogger) const;
  void QueryLost();

  SessionOptions options_;
  Signal signal_;
  RecordQueue queue_;
  std::mutex decoderMu_;  // the ETW thread decodes, JS reads the decoder's counters
  TdhDecoder decoder_;
  // Consumer thread only, but read by Stats(): guarded.
  std::mutex startsMu_;
  CommandLineCache commandLines_{4096};
  // Kernel-Process starts whose kernel command line has not arrived yet; released at the end of the ETW buffer
  // (both events are logged together, so they are delivered in the same buffer). Bounded.
  std::vector<EtwRecord> pending_;
  static constexpr size_t kMaxPending = 1024;
  uint64_t pendingHighWater_ = 0;
  bool systemLogger_ = false;
  RecordEnricher enricher_;
  std::mutex filesMu_;  // the ETW thread tracks, JS reads the counters
  FileTracker files_{65536, 16384};
  DWORD selfPid_ = 0;
  std::atomic<uint64_t> fileParseErrors_{0}, fileOldVersion_{0}, fileOwnProcess_{0};
  TRACEHANDLE session_ = 0;
  TRACEHANDLE trace_ = INVALID_PROCESSTRACE_HANDLE;
  std::thread consumer_;
  std::thread snapshotter_;
  std::atomic<bool> running_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> callbacks_{0}, emitted_{0}, unknown_{0}, snapshotProcesses_{0}, handlerErrors_{0};
  uint64_t staleStopped_ = 0;
  uint64_t etwLost_ = 0, etwBuffersLost_ = 0;
  std::atomic<ULONG> processTraceStatus_{0};
};

}  // namespace vigil
