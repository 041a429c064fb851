#include "record-enricher.h"

#include <windows.h>

#include "etw-defs.h"
#include "text-format.h"

namespace vigil {

namespace {

struct IdentityNames {
  const char* sequence;
  const char* createTime;
  const char* imagePath;
};
constexpr IdentityNames kSelf = {"processSequenceNumber", "createTime", "imagePath"};
constexpr IdentityNames kParent = {"parentSequenceNumber", "parentCreateTime", "parentImagePath"};

bool IsOneOf(uint16_t id, const USHORT* ids, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (ids[i] == id) return true;
  }
  return false;
}

std::string Text(const std::vector<EtwValue>& values, const char* name) {
  const EtwValue* v = FindValue(values, name);
  if (v == nullptr) return std::string();
  if (v->kind == EtwValue::Kind::kString) return v->text;
  if (v->kind == EtwValue::Kind::kNumber) return std::to_string(static_cast<int64_t>(v->number));
  return v->flag ? "true" : "false";
}

}  // namespace

void RecordEnricher::Reset(const EnricherOptions& options) {
  options_ = options;
  pids_.Clear();
  std::lock_guard<std::mutex> lock(mu_);
  udp_.Clear();
  stats_ = EnricherStats{};
}

EnricherStats RecordEnricher::Stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

UdpFlowStats RecordEnricher::UdpStats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return udp_.Stats();
}

std::string RecordEnricher::DosPath(const std::string& ntPath) {
  if (ntPath.empty()) return std::string();
  return WideToUtf8(devices_.ToDosPath(Utf8ToWide(ntPath)));
}

void RecordEnricher::AddIdentity(EtwRecord* record, const char* prefix, uint32_t pid, bool liveQuery) {
  const IdentityNames& names = prefix[0] == '\0' ? kSelf : kParent;
  PidIdentity id;
  bool known = pids_.Get(pid, &id);
  if (!known && liveQuery && pid != 0) {
    const ProcessFacts facts = QueryProcess(pid, false, false, nullptr);
    {
      std::lock_guard<std::mutex> lock(mu_);
      stats_.liveQueries++;
    }
    if (facts.opened) {
      id.hasSequence = facts.hasSequence;
      id.sequence = facts.sequence;
      id.hasCreateTime = facts.hasCreateTime;
      id.createTime = facts.createTime;
      id.imagePath = facts.imagePath;
      pids_.Put(pid, id);
      known = true;
    }
  }
  if (!known) return;
  if (id.hasSequence) record->enrich.push_back(EtwValue::String(names.sequence, std::to_string(id.sequence)));
  if (id.hasCreateTime) record->enrich.push_back(EtwValue::String(names.createTime, std::to_string(id.createTime)));
  if (!id.imagePath.empty()) record->enrich.push_back(EtwValue::String(names.imagePath, id.imagePath));
}

void RecordEnricher::ProcessStart(EtwRecord* record, const std::string* kernelCommandLine) {
  const uint32_t pid = ValueU32(record->props, "ProcessID", 0);
  const uint32_t ppid = ValueU32(record->props, "ParentProcessID", 0);
  PidIdentity id;
  id.hasSequence = ValueU64(record->props, "ProcessSequenceNumber", &id.sequence);
  id.hasCreateTime = ValueU64(record->props, "CreateTime", &id.createTime);
  id.imagePath = DosPath(Text(record->props, "ImageName"));

  const bool haveKernel = kernelCommandLine != nullptr;
  ProcessFacts facts = QueryProcess(pid, options_.fetchCommandLine && !haveKernel, options_.resolveUsers, &accounts_);
  // The pid may already belong to another process (the event arrives after a flush): never mix two processes.
  if (facts.opened && facts.hasCreateTime && id.hasCreateTime && facts.createTime != id.createTime) facts = ProcessFacts{};
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (haveKernel) stats_.commandLineFromKernel++;
    else if (facts.hasCommandLine) stats_.commandLineFetched++;
    else stats_.commandLineUnavailable++;
  }
  if (haveKernel) {
    record->enrich.push_back(EtwValue::String("commandLine", *kernelCommandLine));
    record->enrich.push_back(EtwValue::String("commandLineSource", "kernel"));
  } else if (facts.hasCommandLine) {
    record->enrich.push_back(EtwValue::String("commandLine", facts.commandLine));
    record->enrich.push_back(EtwValue::String("commandLineSource", "peb"));
  }
  if (id.imagePath.empty()) id.imagePath = facts.imagePath;
  if (!id.imagePath.empty()) record->enrich.push_back(EtwValue::String("imagePath", id.imagePath));
  if (!id.hasSequence && facts.hasSequence) {
    id.hasSequence = true;
    id.sequence = facts.sequence;
    record->enrich.push_back(EtwValue::String("processSequenceNumber", std::to_string(id.sequence)));
  }
  if (!facts.userSid.empty()) record->enrich.push_back(EtwValue::String("userSid", facts.userSid));
  if (!facts.userName.empty()) record->enrich.push_back(EtwValue::String("userName", facts.userName));
  if (!facts.userDomain.empty()) record->enrich.push_back(EtwValue::String("userDomain", facts.userDomain));
  if (FindValue(record->props, "ParentProcessSequenceNumber") == nullptr) AddIdentity(record, "parent", ppid, false);
  else {
    PidIdentity parent;
    if (pids_.Get(ppid, &parent) && !parent.imagePath.empty()) {
      record->enrich.push_back(EtwValue::String("parentImagePath", parent.imagePath));
    }
  }
  pids_.Put(pid, id);
}

void RecordEnricher::ProcessStop(EtwRecord* record) {
  const uint32_t pid = ValueU32(record->props, "ProcessID", 0);
  AddIdentity(record, "", pid, false);
  pids_.MarkExited(pid);
}

bool RecordEnricher::Network(EtwRecord* record) {
  const uint32_t pid = ValueU32(record->props, "PID", 0);
  const uint16_t id = record->eventId;
  const bool send = IsOneOf(id, kUdpSendIds, 2);
  if (send || IsOneOf(id, kUdpRecvIds, 2)) {
    // One flow for both directions: whichever datagram comes first says who started it (a DNS reply is not
    // an inbound connection), and the rest of the flow is suppressed.
    const std::string key = std::to_string(pid) + "|" + Text(record->props, "saddr") + ":" + Text(record->props, "sport") +
                            "|" + Text(record->props, "daddr") + ":" + Text(record->props, "dport");
    std::lock_guard<std::mutex> lock(mu_);
    if (!udp_.IsNewFlow(key, GetTickCount64())) return false;
  }
  AddIdentity(record, "", pid, true);
  return true;
}

void RecordEnricher::Snapshot(EtwRecord* record) {
  const uint32_t pid = ValueU32(record->props, "ProcessID", 0);
  const ProcessFacts facts = QueryProcess(pid, options_.fetchCommandLine, options_.resolveUsers, &accounts_);
  PidIdentity id;
  if (facts.hasCreateTime) {
    id.hasCreateTime = true;
    id.createTime = facts.createTime;
    record->props.push_back(EtwValue::String("CreateTime", std::to_string(facts.createTime)));
  }
  if (facts.hasSequence) {
    id.hasSequence = true;
    id.sequence = facts.sequence;
    record->props.push_back(EtwValue::String("ProcessSequenceNumber", std::to_string(facts.sequence)));
  }
  id.imagePath = facts.imagePath;
  if (facts.hasCommandLine) {
    record->enrich.push_back(EtwValue::String("commandLine", facts.commandLine));
    record->enrich.push_back(EtwValue::String("commandLineSource", "peb"));
  }
  if (!facts.imagePath.empty()) record->enrich.push_back(EtwValue::String("imagePath", facts.imagePath));
  if (!facts.userSid.empty()) record->enrich.push_back(EtwValue::String("userSid", facts.userSid));
  if (!facts.userName.empty()) record->enrich.push_back(EtwValue::String("userName", facts.userName));
  if (!facts.userDomain.empty()) record->enrich.push_back(EtwValue::String("userDomain", facts.userDomain));
  pids_.Put(pid, id);
}

void RecordEnricher::SnapshotParent(EtwRecord* record) {
  AddIdentity(record, "parent", ValueU32(record->props, "ParentProcessID", 0), false);
}

}  // namespace vigil
