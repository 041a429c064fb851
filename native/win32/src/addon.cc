// The JS surface of the addon: start(options, onRecords) / stop() / stats().
// Records reach JS as plain objects, in batches, through a Napi::ThreadSafeFunction used as a wake-up: the ETW
// thread signals when the bounded queue goes non-empty; the JS-thread callback drains up to `batchSize` records
// and signals again if more remain. The ETW thread never blocks on JS; a full queue drops and counts (`lost`).
#include <napi.h>

#include <atomic>
#include <string>
#include <vector>

#include "etw-session.h"
#include "text-format.h"

namespace vigil {
namespace {

struct AddonState {
  EtwSession session;
  Napi::ThreadSafeFunction tsfn;
  Napi::FunctionReference onRecords;
  std::atomic<bool> signalPending{false};
  std::atomic<uint32_t> generation{0};
  size_t batchSize = 512;
  uint64_t batches = 0;
  uint64_t callbackErrors = 0;
  bool active = false;
};

AddonState& State() {
  static AddonState* state = new AddonState();  // lives as long as the process: ETW callbacks may outlive an env
  return *state;
}

const char* ProviderName(Provider p) {
  switch (p) {
    case Provider::kKernelProcess: return "kernel-process";
    case Provider::kKernelNetwork: return "kernel-network";
    case Provider::kSnapshot: return "snapshot";
    case Provider::kKernelFile: return "kernel-file";
  }
  return "unknown";
}

Napi::Object ValuesToObject(Napi::Env env, const std::vector<EtwValue>& values) {
  Napi::Object obj = Napi::Object::New(env);
  for (const EtwValue& v : values) {
    switch (v.kind) {
      case EtwValue::Kind::kNumber: obj.Set(v.name, Napi::Number::New(env, v.number)); break;
      case EtwValue::Kind::kString: obj.Set(v.name, Napi::String::New(env, v.text)); break;
      case EtwValue::Kind::kBool: obj.Set(v.name, Napi::Boolean::New(env, v.flag)); break;
    }
  }
  return obj;
}

Napi::Object RecordToObject(Napi::Env env, const EtwRecord& r) {
  Napi::Object obj = Napi::Object::New(env);
  obj.Set("source", r.source == RecordSource::kEtw ? "etw" : "snapshot");
  obj.Set("provider", ProviderName(r.provider));
  obj.Set("eventId", Napi::Number::New(env, r.eventId));
  obj.Set("version", Napi::Number::New(env, r.version));
  obj.Set("opcode", Napi::Number::New(env, r.opcode));
  obj.Set("timestamp", Napi::String::New(env, std::to_string(r.timestamp)));
  obj.Set("headerPid", Napi::Number::New(env, r.headerPid));
  obj.Set("headerTid", Napi::Number::New(env, r.headerTid));
  obj.Set("props", ValuesToObject(env, r.props));
  obj.Set("enrich", ValuesToObject(env, r.enrich));
  return obj;
}

// On the JS thread: hands up to `max` queued records to onRecords. Returns how many went.
size_t Deliver(Napi::Env env, Napi::Function fn, size_t max) {
  AddonState& s = State();
  std::vector<EtwRecord> batch;
  batch.reserve(max < 64 ? max : 64);
  s.session.Queue().DrainUpTo(max, &batch);
  if (batch.empty()) return 0;
  Napi::Array array = Napi::Array::New(env, batch.size());
  for (size_t i = 0; i < batch.size(); i++) array.Set(static_cast<uint32_t>(i), RecordToObject(env, batch[i]));
  s.batches++;
  try {
    fn.Call({array});
  } catch (const Napi::Error& e) {
    s.callbackErrors++;
    e.ThrowAsJavaScriptException();
  }
  return batch.size();
}

void Signal(uint32_t generation) {
  AddonState& s = State();
  if (s.signalPending.exchange(true)) return;
  const napi_status status = s.tsfn.NonBlockingCall([generation](Napi::Env env, Napi::Function fn) {
    AddonState& st = State();
    st.signalPending = false;
    if (env == nullptr || generation != st.generation.load()) return;  // a stopped session's late wake-up
    Deliver(env, fn, st.batchSize);
    if (st.session.Queue().Stats().depth > 0) Signal(generation);
  });
  if (status != napi_ok) s.signalPending = false;  // closing: stop() drains what is left
}

uint32_t OptUint(const Napi::Object& o, const char* key, uint32_t fallback, uint32_t min, uint32_t max) {
  if (!o.Has(key) || o.Get(key).IsUndefined()) return fallback;
  Napi::Value v = o.Get(key);
  if (!v.IsNumber()) throw Napi::TypeError::New(o.Env(), std::string("etw.start: options.") + key + " must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= min && d <= max)) {
    throw Napi::RangeError::New(o.Env(), std::string("etw.start: options.") + key + " out of range [" +
                                             std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return static_cast<uint32_t>(d);
}

bool OptBool(const Napi::Object& o, const char* key, bool fallback) {
  if (!o.Has(key) || o.Get(key).IsUndefined()) return fallback;
  return o.Get(key).ToBoolean().Value();
}

void StopSession(Napi::Env env, bool deliverRest) {
  AddonState& s = State();
  if (!s.active) return;
  s.session.Stop();
  if (deliverRest && !s.onRecords.IsEmpty()) {
    while (Deliver(env, s.onRecords.Value(), s.batchSize) > 0) {
    }
  }
  s.generation++;
  s.tsfn.Release();
  s.onRecords.Reset();
  s.active = false;
}

Napi::Value Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonState& s = State();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction()) {
    throw Napi::TypeError::New(env, "etw.start(options, onRecords): options object and callback required");
  }
  if (s.active) {
    Napi::Error e = Napi::Error::New(env, "etw.start: a session is already running in this process");
    e.Set("code", "ETW_ALREADY_RUNNING");
    throw e;
  }
  Napi::Object o = info[0].As<Napi::Object>();
  SessionOptions options;
  if (o.Has("sessionName") && o.Get("sessionName").IsString()) {
    options.name = Utf8ToWide(o.Get("sessionName").As<Napi::String>().Utf8Value());
  }
  options.queueCapacity = OptUint(o, "queueCapacity", 8192, 16, 1u << 20);
  s.batchSize = OptUint(o, "batchSize", 512, 1, 65536);
  options.process = OptBool(o, "process", true);
  options.network = OptBool(o, "network", true);
  options.snapshot = OptBool(o, "snapshot", true);
  options.kernelCommandLines = OptBool(o, "kernelCommandLines", true);
  options.enrich.fetchCommandLine = OptBool(o, "fetchCommandLine", true);
  options.enrich.resolveUsers = OptBool(o, "resolveUsers", true);
  options.files = OptBool(o, "files", false);
  options.fileObjects = OptUint(o, "fileObjects", 65536, 16, 1u << 22);
  options.reportedOpens = OptUint(o, "reportedOpens", 16384, 16, 1u << 22);
  if (o.Has("sensitive") && o.Get("sensitive").IsArray()) {
    Napi::Array list = o.Get("sensitive").As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); i++) {
      if (!list.Get(i).IsObject()) throw Napi::TypeError::New(env, "etw.start: options.sensitive items must be objects");
      Napi::Object item = list.Get(i).As<Napi::Object>();
      const std::string field = item.Get("field").ToString().Utf8Value();
      if (field != "path" && field != "name" && field != "extension") {
        throw Napi::TypeError::New(env, "etw.start: options.sensitive[].field must be path, name or extension");
      }
      SensitivePattern p;
      p.field = field[0] == 'p' ? 'p' : field[0] == 'n' ? 'n' : 'e';
      p.value = item.Get("value").ToString().Utf8Value();
      p.wildcard = item.Get("wildcard").ToBoolean().Value();
      p.insensitive = item.Get("insensitive").ToBoolean().Value();
      options.sensitive.push_back(std::move(p));
    }
  }

  s.onRecords = Napi::Persistent(info[1].As<Napi::Function>());
  s.tsfn = Napi::ThreadSafeFunction::New(env, info[1].As<Napi::Function>(), "vigil-etw", 0, 1);
  s.signalPending = false;
  s.batches = 0;
  s.callbackErrors = 0;
  const uint32_t generation = ++s.generation;
  std::string step;
  const ULONG status = s.session.Start(options, [generation]() { Signal(generation); }, &step);
  if (status != ERROR_SUCCESS) {
    s.generation++;
    s.tsfn.Release();
    s.onRecords.Reset();
    const char* hint = status == ERROR_ACCESS_DENIED ? " (run as Administrator)" : "";
    Napi::Error e = Napi::Error::New(env, "etw.start: " + step + " failed with Win32 error " + std::to_string(status) + hint);
    e.Set("code", "ETW_START_FAILED");
    e.Set("win32Error", Napi::Number::New(env, status));
    e.Set("step", step);
    throw e;
  }
  s.active = true;
  return env.Undefined();
}

Napi::Value Stop(const Napi::CallbackInfo& info) {
  StopSession(info.Env(), true);
  return info.Env().Undefined();
}

Napi::Value Stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonState& s = State();
  const SessionStats st = s.session.Stats();
  auto n = [&env](uint64_t v) { return Napi::Number::New(env, static_cast<double>(v)); };
  Napi::Object o = Napi::Object::New(env);
  o.Set("running", Napi::Boolean::New(env, st.running));
  o.Set("callbacks", n(st.callbacks));
  o.Set("emitted", n(st.emitted));
  o.Set("delivered", n(st.queue.delivered));
  o.Set("lost", n(st.queue.lost));
  o.Set("queueDepth", n(st.queue.depth));
  o.Set("queueHighWater", n(st.queue.highWater));
  o.Set("queueCapacity", n(st.queue.capacity));
  o.Set("batches", n(s.batches));
  o.Set("callbackErrors", n(s.callbackErrors));
  o.Set("unknownEvents", n(st.unknownEvents));
  o.Set("handlerErrors", n(st.handlerErrors));
  o.Set("decoded", n(st.decoder.decoded));
  o.Set("schemaErrors", n(st.decoder.schemaErrors));
  o.Set("propertyErrors", n(st.decoder.propertyErrors));
  o.Set("skippedProperties", n(st.decoder.skippedProperties));
  o.Set("systemLogger", Napi::Boolean::New(env, st.systemLogger));
  o.Set("commandLineFromKernel", n(st.enricher.commandLineFromKernel));
  o.Set("kernelCommandLinesStored", n(st.kernelCommandLines.stored));
  o.Set("kernelCommandLineMisses", n(st.kernelCommandLines.misses));
  o.Set("kernelCommandLineEvictions", n(st.kernelCommandLines.evictions));
  o.Set("pendingStartsHighWater", n(st.pendingStartsHighWater));
  o.Set("commandLineFetched", n(st.enricher.commandLineFetched));
  o.Set("commandLineUnavailable", n(st.enricher.commandLineUnavailable));
  o.Set("liveQueries", n(st.enricher.liveQueries));
  o.Set("pidTableSize", n(st.pids.size));
  o.Set("pidTableEvictions", n(st.pids.evictions));
  o.Set("udpFlows", n(st.udp.size));
  o.Set("udpSuppressed", n(st.udp.suppressed));
  o.Set("udpFlowEvictions", n(st.udp.evictions));
  o.Set("snapshotProcesses", n(st.snapshotProcesses));
  o.Set("staleSessionsStopped", n(st.staleSessionsStopped));
  o.Set("etwEventsLost", n(st.etwEventsLost));
  o.Set("etwRealTimeBuffersLost", n(st.etwRealTimeBuffersLost));
  o.Set("processTraceStatus", n(st.processTraceStatus));
  o.Set("fileEvents", n(st.files.events));
  o.Set("fileEmitted", n(st.files.emitted));
  o.Set("fileDirectories", n(st.files.directories));
  o.Set("fileOffDisk", n(st.files.offDisk));
  o.Set("fileUntracked", n(st.files.untracked));
  o.Set("fileOpensNotSensitive", n(st.files.opensNotSensitive));
  o.Set("fileOpensRepeated", n(st.files.opensRepeated));
  o.Set("fileObjectsTracked", n(st.files.tracked));
  o.Set("fileObjectsHighWater", n(st.files.trackedHighWater));
  o.Set("fileObjectEvictions", n(st.files.evicted));
  o.Set("fileOpenSetEvictions", n(st.files.openSetEvicted));
  o.Set("filePendingOpens", n(st.files.pendingOpens));
  o.Set("filePendingEvictions", n(st.files.pendingEvicted));
  o.Set("fileParseErrors", n(st.fileParseErrors));
  o.Set("fileOldVersion", n(st.fileOldVersion));
  o.Set("fileOwnProcess", n(st.fileOwnProcess));
  return o;
}

}  // namespace
}  // namespace vigil

static Napi::Object InitVigilEtw(Napi::Env env, Napi::Object exports) {
  using namespace vigil;
  exports.Set("start", Napi::Function::New(env, Start, "start"));
  exports.Set("stop", Napi::Function::New(env, Stop, "stop"));
  exports.Set("stats", Napi::Function::New(env, Stats, "stats"));
  exports.Set("abiVersion", Napi::Number::New(env, 1));
  // The session is system-wide: never leave it running when the environment goes away.
  env.AddCleanupHook([]() {
    AddonState& s = State();
    if (!s.active) return;
    s.session.Stop();
    s.generation++;
    s.active = false;
  });
  return exports;
}

NODE_API_MODULE(vigil_etw, InitVigilEtw)
