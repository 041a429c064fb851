// The bounded hand-off between the ETW thread (producer) and the JS thread (consumer). When full, a record is
// dropped and counted in `lost`: the ETW thread never blocks on JS.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "etw-record.h"

namespace vigil {

struct QueueStats {
  uint64_t pushed = 0;
  uint64_t delivered = 0;
  uint64_t lost = 0;
  size_t depth = 0;
  size_t highWater = 0;
  size_t capacity = 0;
};

class RecordQueue {
 public:
  explicit RecordQueue(size_t capacity) : capacity_(capacity) {}
  // False (and lost++) when the queue is full. True when the queue was empty before: the caller signals JS.
  bool Push(EtwRecord&& record, bool* wasEmpty);
  // Moves up to `max` records into `out`, oldest first.
  void DrainUpTo(size_t max, std::vector<EtwRecord>* out);
  void Reset(size_t capacity);
  QueueStats Stats() const;

 private:
  mutable std::mutex mu_;
  std::deque<EtwRecord> items_;
  size_t capacity_;
  QueueStats stats_;
};

}  // namespace vigil
