#include "record-queue.h"

#include <utility>

namespace vigil {

bool RecordQueue::Push(EtwRecord&& record, bool* wasEmpty) {
  std::lock_guard<std::mutex> lock(mu_);
  if (items_.size() >= capacity_) {
    stats_.lost++;
    *wasEmpty = false;
    return false;
  }
  *wasEmpty = items_.empty();
  items_.push_back(std::move(record));
  stats_.pushed++;
  if (items_.size() > stats_.highWater) stats_.highWater = items_.size();
  return true;
}

void RecordQueue::DrainUpTo(size_t max, std::vector<EtwRecord>* out) {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  while (n < max && !items_.empty()) {
    out->push_back(std::move(items_.front()));
    items_.pop_front();
    n++;
  }
  stats_.delivered += n;
}

void RecordQueue::Reset(size_t capacity) {
  std::lock_guard<std::mutex> lock(mu_);
  items_.clear();
  capacity_ = capacity;
  stats_ = QueueStats{};
}

QueueStats RecordQueue::Stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  QueueStats s = stats_;
  s.depth = items_.size();
  s.capacity = capacity_;
  return s;
}

}  // namespace vigil
