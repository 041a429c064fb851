#include "pid-table.h"

namespace vigil {

void PidTable::MakeRoom() {
  // Exited processes go first, oldest exit first; when none has exited, an arbitrary live entry goes.
  while (byPid_.size() >= capacity_ && !exitedOrder_.empty()) {
    const uint32_t pid = exitedOrder_.front();
    exitedOrder_.pop_front();
    auto it = byPid_.find(pid);
    if (it != byPid_.end() && it->second.exited) {
      byPid_.erase(it);
      stats_.evictions++;
    }
  }
  if (byPid_.size() >= capacity_) {
    byPid_.erase(byPid_.begin());
    stats_.evictions++;
  }
}

void PidTable::Put(uint32_t pid, const PidIdentity& identity) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = byPid_.find(pid);
  if (it != byPid_.end()) {
    it->second = identity;  // pid reuse: the newer process wins
    return;
  }
  MakeRoom();
  byPid_.emplace(pid, identity);
}

bool PidTable::Get(uint32_t pid, PidIdentity* out) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = byPid_.find(pid);
  if (it == byPid_.end()) {
    stats_.misses++;
    return false;
  }
  stats_.hits++;
  *out = it->second;
  return true;
}

void PidTable::MarkExited(uint32_t pid) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = byPid_.find(pid);
  if (it == byPid_.end() || it->second.exited) return;
  it->second.exited = true;
  exitedOrder_.push_back(pid);
  // Keep the exited list itself bounded: it never holds more entries than the table.
  while (exitedOrder_.size() > capacity_) exitedOrder_.pop_front();
}

void PidTable::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  byPid_.clear();
  exitedOrder_.clear();
  stats_ = PidTableStats{};
}

PidTableStats PidTable::Stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  PidTableStats s = stats_;
  s.size = byPid_.size();
  return s;
}

}  // namespace vigil
