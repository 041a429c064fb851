// Decodes an event's manifest properties with TDH (TdhGetEventInformation for the schema, cached per
// provider/event/version; TdhGetPropertySize + TdhGetProperty per property) into named EtwValues.
#pragma once

#include <windows.h>
#include <evntcons.h>
#include <tdh.h>

#include <cstdint>
#include <map>
#include <vector>

#include "etw-record.h"

namespace vigil {

struct DecoderStats {
  uint64_t decoded = 0;
  uint64_t schemaErrors = 0;    // TdhGetEventInformation failed
  uint64_t propertyErrors = 0;  // TdhGetPropertySize / TdhGetProperty failed
  uint64_t skippedProperties = 0;  // structs, arrays, types the records do not carry
  uint64_t schemaCacheEvictions = 0;
};

class TdhDecoder {
 public:
  // Appends the event's top-level scalar properties to `out`. False when the schema cannot be had.
  bool Decode(PEVENT_RECORD record, std::vector<EtwValue>* out);
  DecoderStats Stats() const { return stats_; }

 private:
  static constexpr size_t kMaxSchemas = 128;
  const TRACE_EVENT_INFO* Schema(PEVENT_RECORD record);
  std::map<uint64_t, std::vector<BYTE>> schemas_;
  std::vector<BYTE> value_;
  DecoderStats stats_;
};

}  // namespace vigil
