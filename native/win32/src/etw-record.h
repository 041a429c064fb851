// One decoded event, as plain C++ data: built on the ETW thread, queued, and turned into a plain JS object on
// the JS thread (addon.cc). Knows nothing of ECS or rules.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vigil {

enum class RecordSource : uint8_t { kEtw, kSnapshot };
enum class Provider : uint8_t { kKernelProcess, kKernelNetwork, kSnapshot, kKernelFile };

// A property value. 64-bit integers, FILETIMEs and pointers travel as decimal strings (JS numbers lose
// precision above 2^53), addresses as text, ports in host order.
struct EtwValue {
  enum class Kind : uint8_t { kNumber, kString, kBool };
  std::string name;
  Kind kind = Kind::kNumber;
  double number = 0;
  std::string text;
  bool flag = false;

  static EtwValue Number(std::string n, double v) { EtwValue e; e.name = std::move(n); e.kind = Kind::kNumber; e.number = v; return e; }
  static EtwValue String(std::string n, std::string v) { EtwValue e; e.name = std::move(n); e.kind = Kind::kString; e.text = std::move(v); return e; }
  static EtwValue Bool(std::string n, bool v) { EtwValue e; e.name = std::move(n); e.kind = Kind::kBool; e.flag = v; return e; }
};

struct EtwRecord {
  RecordSource source = RecordSource::kEtw;
  Provider provider = Provider::kKernelProcess;
  uint16_t eventId = 0;
  uint8_t version = 0;
  uint8_t opcode = 0;
  uint64_t timestamp = 0;  // FILETIME ticks (100 ns since 1601-01-01 UTC)
  uint32_t headerPid = 0;
  uint32_t headerTid = 0;
  // Manifest properties by manifest name (ProcessID, CreateTime, ImageName, PID, daddr, ...).
  std::vector<EtwValue> props;
  // What the addon added that the event lacks (command line, DOS image path, user, pid identity).
  std::vector<EtwValue> enrich;
};

inline const EtwValue* FindValue(const std::vector<EtwValue>& values, const char* name) {
  for (const EtwValue& v : values) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

// A numeric property as uint32 (pids, ports), or `fallback` when absent or not a number.
inline uint32_t ValueU32(const std::vector<EtwValue>& values, const char* name, uint32_t fallback) {
  const EtwValue* v = FindValue(values, name);
  return v != nullptr && v->kind == EtwValue::Kind::kNumber ? static_cast<uint32_t>(v->number) : fallback;
}

// A 64-bit property (travelling as decimal text), or false when absent.
inline bool ValueU64(const std::vector<EtwValue>& values, const char* name, uint64_t* out) {
  const EtwValue* v = FindValue(values, name);
  if (v == nullptr || v->kind != EtwValue::Kind::kString || v->text.empty()) return false;
  uint64_t n = 0;
  for (char c : v->text) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = n;
  return true;
}

}  // namespace vigil
