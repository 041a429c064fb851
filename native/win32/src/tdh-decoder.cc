#include "tdh-decoder.h"

#include <climits>
#include <cstdio>
#include <cstring>
#include <string>

#include "etw-defs.h"
#include "text-format.h"

namespace vigil {

namespace {

uint64_t SchemaKey(const EVENT_HEADER& h) {
  // Providers are told apart by Data1 here (the session's providers have distinct Data1); classic (MOF) events
  // all have id 0 and differ by opcode.
  return (static_cast<uint64_t>(h.ProviderId.Data1) << 32) | (static_cast<uint64_t>(h.EventDescriptor.Id) << 16) |
         (static_cast<uint64_t>(h.EventDescriptor.Opcode) << 8) | h.EventDescriptor.Version;
}

template <typename T>
T Read(const BYTE* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

std::string Hex(const BYTE* p, ULONG n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  const ULONG cap = n > 256 ? 256 : n;
  out.reserve(cap * 2);
  for (ULONG i = 0; i < cap; i++) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 15];
  }
  return out;
}

// Converts one property's bytes by its TDH in/out types. False when the records do not carry the type.
bool Convert(std::string name, USHORT in, USHORT outType, const BYTE* p, ULONG n, std::vector<EtwValue>* out) {
  switch (in) {
    case kInUnicodeString: {
      size_t chars = n / sizeof(wchar_t);
      const wchar_t* w = reinterpret_cast<const wchar_t*>(p);
      while (chars > 0 && w[chars - 1] == L'\0') chars--;
      out->push_back(EtwValue::String(std::move(name), WideToUtf8(w, chars)));
      return true;
    }
    case kInAnsiString: {
      size_t bytes = n;
      const char* a = reinterpret_cast<const char*>(p);
      while (bytes > 0 && a[bytes - 1] == '\0') bytes--;
      out->push_back(EtwValue::String(std::move(name), AnsiToUtf8(a, bytes)));
      return true;
    }
    case kInInt8: if (n < 1) return false; out->push_back(EtwValue::Number(std::move(name), Read<int8_t>(p))); return true;
    case kInUInt8: if (n < 1) return false; out->push_back(EtwValue::Number(std::move(name), Read<uint8_t>(p))); return true;
    case kInInt16: if (n < 2) return false; out->push_back(EtwValue::Number(std::move(name), Read<int16_t>(p))); return true;
    case kInUInt16: {
      if (n < 2) return false;
      uint16_t v = Read<uint16_t>(p);
      // win:Port values are in network byte order.
      if (outType == kOutPort) v = static_cast<uint16_t>((v >> 8) | (v << 8));
      out->push_back(EtwValue::Number(std::move(name), v));
      return true;
    }
    case kInInt32: if (n < 4) return false; out->push_back(EtwValue::Number(std::move(name), Read<int32_t>(p))); return true;
    case kInUInt32:
    case kInHexInt32: {
      if (n < 4) return false;
      if (outType == kOutIpv4) out->push_back(EtwValue::String(std::move(name), FormatIpv4(p)));
      else out->push_back(EtwValue::Number(std::move(name), Read<uint32_t>(p)));
      return true;
    }
    case kInInt64: {
      if (n < 8) return false;
      out->push_back(EtwValue::String(std::move(name), std::to_string(Read<int64_t>(p))));
      return true;
    }
    case kInUInt64:
    case kInHexInt64:
    case kInFiletime:
    case kInPointer: {
      uint64_t v = 0;
      if (n == 8) v = Read<uint64_t>(p);
      else if (n == 4) v = Read<uint32_t>(p);
      else return false;
      out->push_back(EtwValue::String(std::move(name), std::to_string(v)));
      return true;
    }
    case kInFloat: if (n < 4) return false; out->push_back(EtwValue::Number(std::move(name), Read<float>(p))); return true;
    case kInDouble: if (n < 8) return false; out->push_back(EtwValue::Number(std::move(name), Read<double>(p))); return true;
    case kInBoolean: if (n < 4) return false; out->push_back(EtwValue::Bool(std::move(name), Read<int32_t>(p) != 0)); return true;
    case kInBinary:
      if (outType == kOutIpv6 && n == 16) out->push_back(EtwValue::String(std::move(name), FormatIpv6(p)));
      else if (outType == kOutIpv4 && n == 4) out->push_back(EtwValue::String(std::move(name), FormatIpv4(p)));
      else out->push_back(EtwValue::String(std::move(name), Hex(p, n)));
      return true;
    case kInGuid:
      if (n < sizeof(GUID)) return false;
      out->push_back(EtwValue::String(std::move(name), FormatGuid(Read<GUID>(p))));
      return true;
    case kInSid: {
      std::string sid = FormatSid(p);
      if (sid.empty()) return false;
      out->push_back(EtwValue::String(std::move(name), std::move(sid)));
      return true;
    }
    default:
      return false;
  }
}

}  // namespace

const TRACE_EVENT_INFO* TdhDecoder::Schema(PEVENT_RECORD record) {
  const uint64_t key = SchemaKey(record->EventHeader);
  auto it = schemas_.find(key);
  if (it != schemas_.end()) return reinterpret_cast<const TRACE_EVENT_INFO*>(it->second.data());
  ULONG size = 0;
  ULONG status = TdhGetEventInformation(record, 0, nullptr, nullptr, &size);
  if (status != ERROR_INSUFFICIENT_BUFFER || size == 0) return nullptr;
  std::vector<BYTE> buffer(size);
  status = TdhGetEventInformation(record, 0, nullptr, reinterpret_cast<PTRACE_EVENT_INFO>(buffer.data()), &size);
  if (status != ERROR_SUCCESS) return nullptr;
  // Bounded: two providers, a handful of events and versions; a flood of unknown schemas evicts the oldest key.
  if (schemas_.size() >= kMaxSchemas) {
    schemas_.erase(schemas_.begin());
    stats_.schemaCacheEvictions++;
  }
  auto inserted = schemas_.emplace(key, std::move(buffer));
  return reinterpret_cast<const TRACE_EVENT_INFO*>(inserted.first->second.data());
}

bool TdhDecoder::Decode(PEVENT_RECORD record, std::vector<EtwValue>* out) {
  const TRACE_EVENT_INFO* info = Schema(record);
  if (info == nullptr) {
    stats_.schemaErrors++;
    return false;
  }
  const BYTE* base = reinterpret_cast<const BYTE*>(info);
  for (ULONG i = 0; i < info->TopLevelPropertyCount; i++) {
    const EVENT_PROPERTY_INFO& prop = info->EventPropertyInfoArray[i];
    const wchar_t* wname = reinterpret_cast<const wchar_t*>(base + prop.NameOffset);
    if ((prop.Flags & (PropertyStruct | PropertyParamCount)) != 0 || prop.count > 1) {
      stats_.skippedProperties++;
      continue;
    }
    PROPERTY_DATA_DESCRIPTOR desc;
    desc.PropertyName = reinterpret_cast<ULONGLONG>(wname);
    desc.ArrayIndex = ULONG_MAX;
    desc.Reserved = 0;
    ULONG size = 0;
    if (TdhGetPropertySize(record, 0, nullptr, 1, &desc, &size) != ERROR_SUCCESS) {
      stats_.propertyErrors++;
      continue;
    }
    value_.assign(size == 0 ? 1 : size, 0);
    if (size > 0 && TdhGetProperty(record, 0, nullptr, 1, &desc, size, value_.data()) != ERROR_SUCCESS) {
      stats_.propertyErrors++;
      continue;
    }
    std::string name = WideToUtf8(wname, wcslen(wname));
    if (!Convert(std::move(name), prop.nonStructType.InType, prop.nonStructType.OutType, value_.data(), size, out)) {
      stats_.skippedProperties++;
    }
  }
  stats_.decoded++;
  return true;
}

}  // namespace vigil
