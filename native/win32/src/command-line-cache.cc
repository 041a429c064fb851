#include "command-line-cache.h"

namespace vigil {

void CommandLineCache::Put(uint32_t pid, std::string commandLine, uint64_t when) {
  // A pid's newer process replaces the older entry; its stale order slot is skipped when it comes up.
  while (byPid_.size() >= capacity_ && !order_.empty()) {
    const auto [oldPid, oldSerial] = order_.front();
    order_.pop_front();
    auto it = byPid_.find(oldPid);
    if (it != byPid_.end() && it->second.serial == oldSerial) {
      byPid_.erase(it);
      stats_.evictions++;
    }
  }
  Entry& e = byPid_[pid];
  e.commandLine = std::move(commandLine);
  e.when = when;
  e.serial = ++serial_;
  order_.emplace_back(pid, e.serial);
  // Keep the order list itself bounded by dropping slots whose entries were replaced or taken.
  while (order_.size() > 2 * capacity_) {
    const auto [oldPid, oldSerial] = order_.front();
    order_.pop_front();
    auto it = byPid_.find(oldPid);
    if (it != byPid_.end() && it->second.serial == oldSerial) {
      byPid_.erase(it);
      stats_.evictions++;
    }
  }
  stats_.stored++;
}

bool CommandLineCache::Take(uint32_t pid, uint64_t createTime, uint64_t before, uint64_t after, std::string* out) {
  auto it = byPid_.find(pid);
  if (it == byPid_.end() || it->second.when + before < createTime || it->second.when > createTime + after) {
    stats_.misses++;
    return false;
  }
  *out = std::move(it->second.commandLine);
  byPid_.erase(it);
  stats_.hits++;
  return true;
}

void CommandLineCache::Clear() {
  byPid_.clear();
  order_.clear();
  stats_ = CommandLineCacheStats{};
}

CommandLineCacheStats CommandLineCache::Stats() const {
  CommandLineCacheStats s = stats_;
  s.size = byPid_.size();
  return s;
}

}  // namespace vigil
