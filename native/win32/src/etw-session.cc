#include "etw-session.h"

#include <cstring>

#include "etw-defs.h"
#include "process-snapshot.h"
#include "text-format.h"

namespace vigil {

namespace {

constexpr ULONG kMaxNameChars = 1024;

bool SameGuid(const GUID& a, const GUID& b) { return std::memcmp(&a, &b, sizeof(GUID)) == 0; }

bool Contains(const USHORT* ids, size_t n, USHORT id) {
  for (size_t i = 0; i < n; i++) {
    if (ids[i] == id) return true;
  }
  return false;
}

template <size_t N>
constexpr size_t Count(const USHORT (&)[N]) { return N; }

uint64_t Ticks(const LARGE_INTEGER& t) { return static_cast<uint64_t>(t.QuadPart); }

}  // namespace

std::vector<BYTE> EtwSession::Properties(bool systemLogger) const {
  // EVENT_TRACE_PROPERTIES followed by room for the logger name, as StartTrace/ControlTrace expect.
  const size_t size = sizeof(EVENT_TRACE_PROPERTIES) + (kMaxNameChars + 1) * sizeof(wchar_t);
  std::vector<BYTE> buffer(size, 0);
  auto* p = reinterpret_cast<EVENT_TRACE_PROPERTIES*>(buffer.data());
  p->Wnode.BufferSize = static_cast<ULONG>(size);
  p->Wnode.Flags = WNODE_FLAG_TRACED_GUID;
  p->Wnode.ClientContext = 1;  // QPC timestamps; consumers still receive them as FILETIME
  p->BufferSize = 64;          // KB
  p->MinimumBuffers = 8;
  p->MaximumBuffers = 64;
  p->LogFileMode = EVENT_TRACE_REAL_TIME_MODE;
  if (systemLogger) {
    p->LogFileMode |= EVENT_TRACE_SYSTEM_LOGGER_MODE;
    p->EnableFlags = EVENT_TRACE_FLAG_PROCESS;
  }
  p->FlushTimer = 1;  // seconds: a process start reaches JS within about a second
  p->LoggerNameOffset = sizeof(EVENT_TRACE_PROPERTIES);
  return buffer;
}

ULONG EtwSession::Enable(const GUID& provider, ULONGLONG keywords, const USHORT* ids, size_t count, ULONG properties) {
  // EVENT_FILTER_EVENT_ID: BOOLEAN FilterIn; UCHAR Reserved; USHORT Count; USHORT Events[Count].
  std::vector<BYTE> filter(4 + count * sizeof(USHORT), 0);
  filter[0] = 1;  // FilterIn: deliver only the listed ids
  const USHORT n = static_cast<USHORT>(count);
  std::memcpy(filter.data() + 2, &n, sizeof n);
  std::memcpy(filter.data() + 4, ids, count * sizeof(USHORT));
  EVENT_FILTER_DESCRIPTOR desc;
  desc.Ptr = reinterpret_cast<ULONGLONG>(filter.data());
  desc.Size = static_cast<ULONG>(filter.size());
  desc.Type = EVENT_FILTER_TYPE_EVENT_ID;
  ENABLE_TRACE_PARAMETERS params;
  std::memset(&params, 0, sizeof params);
  params.Version = ENABLE_TRACE_PARAMETERS_VERSION_2;
  params.EnableProperty = properties;
  params.EnableFilterDesc = &desc;
  params.FilterDescCount = 1;
  // Older Windows lacks event-id filters (before 8.1) or the process start key property (before 10): step down
  // to what it supports; Handle() filters event ids itself and the enricher fills identities from its table.
  ULONG status = ERROR_INVALID_PARAMETER;
  for (int attempt = 0; attempt < 3; attempt++) {
    if (attempt == 1) {
      params.EnableFilterDesc = nullptr;
      params.FilterDescCount = 0;
    } else if (attempt == 2) {
      params.EnableProperty = 0;
    }
    status = EnableTraceEx2(session_, &provider, EVENT_CONTROL_CODE_ENABLE_PROVIDER, TRACE_LEVEL_INFORMATION, keywords,
                            0, 0, &params);
    if (status != ERROR_NOT_SUPPORTED && status != ERROR_INVALID_PARAMETER) break;
  }
  return status;
}

ULONG EtwSession::Start(const SessionOptions& options, Signal signal, std::string* step) {
  if (running_.load()) {
    *step = "already running";
    return ERROR_ALREADY_EXISTS;
  }
  if (options.name.empty() || options.name.size() > kMaxNameChars) {
    *step = "session name";
    return ERROR_INVALID_PARAMETER;
  }
  options_ = options;
  signal_ = std::move(signal);
  queue_.Reset(options.queueCapacity);
  enricher_.Reset(options.enrich);
  {
    std::lock_guard<std::mutex> lock(decoderMu_);
    decoder_ = TdhDecoder();
  }
  callbacks_ = 0;
  emitted_ = 0;
  unknown_ = 0;
  handlerErrors_ = 0;
  snapshotProcesses_ = 0;
  staleStopped_ = 0;
  etwLost_ = 0;
  etwBuffersLost_ = 0;
  stopping_ = false;
  selfPid_ = GetCurrentProcessId();
  fileParseErrors_ = 0;
  fileOldVersion_ = 0;
  fileOwnProcess_ = 0;
  {
    std::lock_guard<std::mutex> lock(filesMu_);
    files_ = FileTracker(options_.fileObjects, options_.reportedOpens);
    files_.Reset(options_.sensitive, [this](const std::string& nt) { return enricher_.DosPath(nt); });
  }

  {
    std::lock_guard<std::mutex> lock(startsMu_);
    commandLines_.Clear();
    pending_.clear();
    pendingHighWater_ = 0;
  }

  // A session of the same name left by a crashed agent would make StartTrace fail: stop it first.
  std::vector<BYTE> props = Properties(false);
  ULONG status = ControlTraceW(0, options_.name.c_str(), reinterpret_cast<EVENT_TRACE_PROPERTIES*>(props.data()),
                               EVENT_TRACE_CONTROL_STOP);
  if (status == ERROR_SUCCESS) staleStopped_++;
  // System-logger mode first (kernel command lines), then a plain real-time session if Windows refuses it
  // (before Windows 8, or all system logger slots taken).
  systemLogger_ = options_.kernelCommandLines;
  for (int attempt = 0; attempt < 3; attempt++) {
    props = Properties(systemLogger_);
    auto* p = reinterpret_cast<EVENT_TRACE_PROPERTIES*>(props.data());
    std::memcpy(props.data() + p->LoggerNameOffset, options_.name.c_str(), (options_.name.size() + 1) * sizeof(wchar_t));
    status = StartTraceW(&session_, options_.name.c_str(), p);
    if (status == ERROR_SUCCESS) break;
    if (status == ERROR_ALREADY_EXISTS) {
      props = Properties(false);
      if (ControlTraceW(0, options_.name.c_str(), reinterpret_cast<EVENT_TRACE_PROPERTIES*>(props.data()),
                        EVENT_TRACE_CONTROL_STOP) == ERROR_SUCCESS) {
        staleStopped_++;
      }
      continue;
    }
    if (!systemLogger_ || status == ERROR_ACCESS_DENIED) break;
    systemLogger_ = false;
  }
  if (status != ERROR_SUCCESS) {
    *step = "StartTrace";
    return status;
  }

  const ULONG extProps = EVENT_ENABLE_PROPERTY_SID | EVENT_ENABLE_PROPERTY_PROCESS_START_KEY;
  if (options_.process) {
    status = Enable(kKernelProcessGuid, kKeywordProcess, kProcessEventIds, Count(kProcessEventIds), extProps);
    if (status != ERROR_SUCCESS) {
      *step = "EnableTraceEx2(Microsoft-Windows-Kernel-Process)";
      Stop();
      return status;
    }
  }
  if (options_.network) {
    status = Enable(kKernelNetworkGuid, kKeywordIpv4 | kKeywordIpv6, kNetworkEventIds, Count(kNetworkEventIds), 0);
    if (status != ERROR_SUCCESS) {
      *step = "EnableTraceEx2(Microsoft-Windows-Kernel-Network)";
      Stop();
      return status;
    }
  }

  if (options_.files) {
    status = Enable(kKernelFileGuid, kKernelFileKeywords, kKernelFileEventIds, Count(kKernelFileEventIds), 0);
    if (status != ERROR_SUCCESS) {
      *step = "EnableTraceEx2(Microsoft-Windows-Kernel-File)";
      Stop();
      return status;
    }
  }

  EVENT_TRACE_LOGFILEW logfile;
  std::memset(&logfile, 0, sizeof logfile);
  logfile.LoggerName = const_cast<LPWSTR>(options_.name.c_str());
  logfile.ProcessTraceMode = PROCESS_TRACE_MODE_REAL_TIME | PROCESS_TRACE_MODE_EVENT_RECORD;
  logfile.EventRecordCallback = &EtwSession::OnEvent;
  logfile.BufferCallback = &EtwSession::OnBuffer;
  logfile.Context = this;
  trace_ = OpenTraceW(&logfile);
  if (trace_ == INVALID_PROCESSTRACE_HANDLE) {
    status = GetLastError();
    *step = "OpenTrace";
    Stop();
    return status == ERROR_SUCCESS ? ERROR_INVALID_HANDLE : status;
  }
  running_ = true;
  consumer_ = std::thread([this]() {
    TRACEHANDLE handle = trace_;
    processTraceStatus_ = ProcessTrace(&handle, 1, nullptr, nullptr);
    try {
      FlushPending();  // starts still waiting when the session ended
    } catch (...) {
      handlerErrors_++;
    }
  });
  // The session is live before the scan: a process starting now is seen by one or the other (or both; the
  // JS side merges by entity id).
  if (options_.snapshot) {
    snapshotter_ = std::thread([this]() {
      try {
        RunSnapshot();
      } catch (...) {
        handlerErrors_++;
      }
    });
  }
  return ERROR_SUCCESS;
}

void EtwSession::QueryLost() {
  if (session_ == 0) return;
  std::vector<BYTE> props = Properties(false);
  auto* p = reinterpret_cast<EVENT_TRACE_PROPERTIES*>(props.data());
  if (ControlTraceW(session_, nullptr, p, EVENT_TRACE_CONTROL_QUERY) == ERROR_SUCCESS) {
    etwLost_ = p->EventsLost;
    etwBuffersLost_ = p->RealTimeBuffersLost;
  }
}

void EtwSession::Stop() {
  stopping_ = true;
  if (snapshotter_.joinable()) snapshotter_.join();
  if (session_ != 0) {
    std::vector<BYTE> props = Properties(false);
    auto* p = reinterpret_cast<EVENT_TRACE_PROPERTIES*>(props.data());
    if (ControlTraceW(session_, nullptr, p, EVENT_TRACE_CONTROL_STOP) == ERROR_SUCCESS) {
      etwLost_ = p->EventsLost;
      etwBuffersLost_ = p->RealTimeBuffersLost;
    }
    session_ = 0;
  }
  // ProcessTrace returns once the stopped session's buffers are delivered.
  if (consumer_.joinable()) consumer_.join();
  if (trace_ != INVALID_PROCESSTRACE_HANDLE) {
    CloseTrace(trace_);
    trace_ = INVALID_PROCESSTRACE_HANDLE;
  }
  running_ = false;
}

void WINAPI EtwSession::OnEvent(PEVENT_RECORD record) {
  auto* self = static_cast<EtwSession*>(record->UserContext);
  // Nothing may unwind into ETW's thread: an allocation failure costs this one event, counted.
  try {
    self->Handle(record);
  } catch (...) {
    self->handlerErrors_++;
  }
}

ULONG WINAPI EtwSession::OnBuffer(PEVENT_TRACE_LOGFILEW logfile) {
  auto* self = static_cast<EtwSession*>(logfile->Context);
  try {
    self->FlushPending();
  } catch (...) {
    self->handlerErrors_++;
  }
  return TRUE;  // keep processing
}

namespace {
// The kernel's Process Start and the Kernel-Process ProcessStart of one process are logged together; the
// window only guards against a reused pid.
constexpr uint64_t kCommandLineBefore = 10000000;      // 1 s of FILETIME ticks
constexpr uint64_t kCommandLineAfter = 5 * 10000000;   // 5 s
}  // namespace

void EtwSession::StartProcess(EtwRecord&& record, bool mayWait) {
  const uint32_t pid = ValueU32(record.props, "ProcessID", 0);
  uint64_t created = 0;
  if (!ValueU64(record.props, "CreateTime", &created)) created = record.timestamp;
  std::string commandLine;
  bool found = false;
  {
    std::lock_guard<std::mutex> lock(startsMu_);
    if (systemLogger_) found = commandLines_.Take(pid, created, kCommandLineBefore, kCommandLineAfter, &commandLine);
    if (!found && systemLogger_ && mayWait && pending_.size() < kMaxPending) {
      pending_.push_back(std::move(record));
      if (pending_.size() > pendingHighWater_) pendingHighWater_ = pending_.size();
      return;
    }
  }
  enricher_.ProcessStart(&record, found ? &commandLine : nullptr);
  Emit(std::move(record));
}

void EtwSession::FlushPending() {
  std::vector<EtwRecord> waiting;
  {
    std::lock_guard<std::mutex> lock(startsMu_);
    waiting.swap(pending_);
  }
  for (EtwRecord& r : waiting) StartProcess(std::move(r), false);
}

void EtwSession::Emit(EtwRecord&& record) {
  bool wasEmpty = false;
  if (queue_.Push(std::move(record), &wasEmpty)) {
    emitted_++;
    if (wasEmpty && signal_) signal_();
  }
}

void EtwSession::HandleFile(PEVENT_RECORD raw) {
  const EVENT_HEADER& h = raw->EventHeader;
  if (h.ProcessId == selfPid_) {
    fileOwnProcess_++;
    return;
  }
  FileIo io;
  const bool pointer64 = (h.Flags & EVENT_HEADER_FLAG_64_BIT_HEADER) != 0;
  const ParseStatus parsed = ParseKernelFile(h.EventDescriptor.Id, h.EventDescriptor.Version, pointer64,
                                             static_cast<const uint8_t*>(raw->UserData), raw->UserDataLength, &io);
  if (parsed == ParseStatus::kUnsupportedVersion) {
    fileOldVersion_++;
    return;
  }
  if (parsed != ParseStatus::kOk) {
    if (parsed == ParseStatus::kTruncated) fileParseErrors_++;
    else unknown_++;
    return;
  }
  io.pid = h.ProcessId;
  io.timestamp = Ticks(h.TimeStamp);
  std::vector<FileChange> changes;
  {
    std::lock_guard<std::mutex> lock(filesMu_);
    files_.Handle(io, &changes);
  }
  for (FileChange& c : changes) {
    EtwRecord record;
    record.provider = Provider::kKernelFile;
    record.eventId = c.eventId;
    record.version = h.EventDescriptor.Version;
    record.opcode = h.EventDescriptor.Opcode;
    record.timestamp = c.timestamp;
    record.headerPid = c.pid;
    record.headerTid = c.tid;
    record.props.push_back(EtwValue::String("FileObject", std::to_string(c.fileObject)));
    record.props.push_back(EtwValue::Number("IssuingThreadId", c.tid));
    record.enrich.push_back(EtwValue::String("fileAction", FileActionName(c.action)));
    record.enrich.push_back(EtwValue::String("filePath", std::move(c.path)));
    if (!c.originalPath.empty()) record.enrich.push_back(EtwValue::String("originalFilePath", std::move(c.originalPath)));
    record.enrich.push_back(EtwValue::Number("createDisposition", c.disposition));
    record.enrich.push_back(EtwValue::Number("status", c.status));
    enricher_.File(&record, c.pid);
    Emit(std::move(record));
  }
}

void EtwSession::Handle(PEVENT_RECORD raw) {
  callbacks_++;
  const EVENT_HEADER& h = raw->EventHeader;
  const USHORT id = h.EventDescriptor.Id;
  if (SameGuid(h.ProviderId, kKernelFileGuid)) {
    HandleFile(raw);
    return;
  }
  EtwRecord record;
  if (SameGuid(h.ProviderId, kKernelProcessClassGuid)) {
    // The kernel's own Process event: only its command line is kept, for the ProcessStart that follows.
    if (h.EventDescriptor.Opcode != kClassicProcessStartOpcode) return;
    std::vector<EtwValue> values;
    {
      std::lock_guard<std::mutex> lock(decoderMu_);
      if (!decoder_.Decode(raw, &values)) return;
    }
    const EtwValue* commandLine = FindValue(values, "CommandLine");
    const uint32_t pid = ValueU32(values, "ProcessId", 0);
    if (commandLine == nullptr || commandLine->kind != EtwValue::Kind::kString || pid == 0) return;
    std::lock_guard<std::mutex> lock(startsMu_);
    commandLines_.Put(pid, commandLine->text, Ticks(h.TimeStamp));
    return;
  }
  if (SameGuid(h.ProviderId, kKernelProcessGuid) && Contains(kProcessEventIds, Count(kProcessEventIds), id)) {
    record.provider = Provider::kKernelProcess;
  } else if (SameGuid(h.ProviderId, kKernelNetworkGuid) && Contains(kNetworkEventIds, Count(kNetworkEventIds), id)) {
    record.provider = Provider::kKernelNetwork;
  } else {
    unknown_++;
    return;
  }
  record.source = RecordSource::kEtw;
  record.eventId = id;
  record.version = h.EventDescriptor.Version;
  record.opcode = h.EventDescriptor.Opcode;
  record.timestamp = Ticks(h.TimeStamp);
  record.headerPid = h.ProcessId;
  record.headerTid = h.ThreadId;
  {
    std::lock_guard<std::mutex> lock(decoderMu_);
    if (!decoder_.Decode(raw, &record.props)) return;
  }
  for (USHORT i = 0; i < raw->ExtendedDataCount; i++) {
    const EVENT_HEADER_EXTENDED_DATA_ITEM& item = raw->ExtendedData[i];
    const void* data = reinterpret_cast<const void*>(item.DataPtr);
    if (item.ExtType == EVENT_HEADER_EXT_TYPE_SID) {
      record.enrich.push_back(EtwValue::String("headerUserSid", FormatSid(data)));
    } else if (item.ExtType == EVENT_HEADER_EXT_TYPE_PROCESS_START_KEY && item.DataSize >= sizeof(uint64_t)) {
      uint64_t key = 0;
      std::memcpy(&key, data, sizeof key);
      record.enrich.push_back(EtwValue::String("headerProcessStartKey", std::to_string(key)));
    }
  }
  if (record.provider == Provider::kKernelProcess) {
    if (id == 1) {
      StartProcess(std::move(record), true);
      return;
    }
    FlushPending();  // a start waiting for its command line goes out before any stop
    enricher_.ProcessStop(&record);
  } else if (!enricher_.Network(&record)) {
    return;
  }
  Emit(std::move(record));
}

void EtwSession::RunSnapshot() {
  const uint64_t emitted = ScanRunningProcesses(&enricher_, stopping_, [this](EtwRecord&& r) { Emit(std::move(r)); });
  snapshotProcesses_ += emitted;
}

SessionStats EtwSession::Stats() {
  SessionStats s;
  s.running = running_.load();
  if (s.running) QueryLost();
  s.callbacks = callbacks_.load();
  s.emitted = emitted_.load();
  s.unknownEvents = unknown_.load();
  s.handlerErrors = handlerErrors_.load();
  s.snapshotProcesses = snapshotProcesses_.load();
  s.staleSessionsStopped = staleStopped_;
  s.etwEventsLost = etwLost_;
  s.etwRealTimeBuffersLost = etwBuffersLost_;
  s.processTraceStatus = processTraceStatus_.load();
  s.systemLogger = systemLogger_;
  {
    std::lock_guard<std::mutex> lock(startsMu_);
    s.kernelCommandLines = commandLines_.Stats();
    s.pendingStartsHighWater = pendingHighWater_;
  }
  {
    std::lock_guard<std::mutex> lock(decoderMu_);
    s.decoder = decoder_.Stats();
  }
  s.queue = queue_.Stats();
  s.enricher = enricher_.Stats();
  s.pids = enricher_.PidStats();
  s.udp = enricher_.UdpStats();
  {
    std::lock_guard<std::mutex> lock(filesMu_);
    s.files = files_.Stats();
  }
  s.fileParseErrors = fileParseErrors_.load();
  s.fileOldVersion = fileOldVersion_.load();
  s.fileOwnProcess = fileOwnProcess_.load();
  return s;
}

}  // namespace vigil
