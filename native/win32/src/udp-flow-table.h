// Kernel-Network reports UDP per datagram. The first datagram of a flow (pid, local address and port, remote
// address and port; either direction) becomes a record; repeats within the idle window are suppressed and
// counted. Bounded: the oldest flow goes first when full. Used on the ETW thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>

namespace vigil {

struct UdpFlowStats {
  size_t size = 0;
  uint64_t suppressed = 0;
  uint64_t evictions = 0;
};

class UdpFlowTable {
 public:
  UdpFlowTable(size_t capacity, uint64_t idleMs) : capacity_(capacity), idleMs_(idleMs) {}
  // True when this datagram opens a flow (or reopens one idle longer than the window).
  bool IsNewFlow(const std::string& key, uint64_t nowMs);
  void Clear();
  UdpFlowStats Stats() const;

 private:
  size_t capacity_;
  uint64_t idleMs_;
  std::unordered_map<std::string, uint64_t> lastSeen_;
  std::deque<std::string> order_;
  UdpFlowStats stats_;
};

}  // namespace vigil
