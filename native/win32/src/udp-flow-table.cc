#include "udp-flow-table.h"

namespace vigil {

bool UdpFlowTable::IsNewFlow(const std::string& key, uint64_t nowMs) {
  auto it = lastSeen_.find(key);
  if (it != lastSeen_.end()) {
    const bool idle = nowMs - it->second > idleMs_;
    it->second = nowMs;
    if (!idle) stats_.suppressed++;
    return idle;
  }
  while (lastSeen_.size() >= capacity_ && !order_.empty()) {
    lastSeen_.erase(order_.front());
    order_.pop_front();
    stats_.evictions++;
  }
  lastSeen_.emplace(key, nowMs);
  order_.push_back(key);
  return true;
}

void UdpFlowTable::Clear() {
  lastSeen_.clear();
  order_.clear();
  stats_ = UdpFlowStats{};
}

UdpFlowStats UdpFlowTable::Stats() const {
  UdpFlowStats s = stats_;
  s.size = lastSeen_.size();
  return s;
}

}  // namespace vigil
