// pid -> identity (sequence number, create time, image path) of the processes the session knows, so that
// network events (which carry only a PID) and process stops get the same startKey as the process start.
// Bounded: exited processes stay a while (late network events still resolve) and go first when full.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace vigil {

struct PidIdentity {
  bool hasSequence = false;
  uint64_t sequence = 0;
  bool hasCreateTime = false;
  uint64_t createTime = 0;
  std::string imagePath;
  bool exited = false;
};

struct PidTableStats {
  size_t size = 0;
  uint64_t evictions = 0;
  uint64_t hits = 0;
  uint64_t misses = 0;
};

class PidTable {
 public:
  explicit PidTable(size_t capacity) : capacity_(capacity) {}
  void Put(uint32_t pid, const PidIdentity& identity);
  bool Get(uint32_t pid, PidIdentity* out);
  void MarkExited(uint32_t pid);
  void Clear();
  PidTableStats Stats() const;

 private:
  void MakeRoom();
  mutable std::mutex mu_;
  size_t capacity_;
  std::unordered_map<uint32_t, PidIdentity> byPid_;
  std::deque<uint32_t> exitedOrder_;
  PidTableStats stats_;
};

}  // namespace vigil
