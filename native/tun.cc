// vpclab TUN addon: one Linux TUN device per lab host, created directly inside the
// host's network namespace and read on the Node event loop.
//
// Why it looks like this (see DESIGN.md "Packets" and "Safety"):
// - N-API through node-addon-api, so one binary loads in Node and in Electron.
// - The TUN is created while the calling thread sits in the target namespace, so the
//   interface never exists in the root namespace, not even for a moment. The thread is
//   always switched back; if that fails the process aborts, because carrying on in the
//   wrong namespace would put later sockets and devices in the wrong place.
// - The fd is non-blocking and watched with uv_poll on the Node loop: no thread pool,
//   no thread-safe functions. On readable we read() until EAGAIN into one slab that JS
//   sees as a Buffer, and hand JS only a count (lengths live in a shared Int32Array).
//   Nothing is allocated per packet.

#include <napi.h>
#include <uv.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <string>

namespace {

constexpr uint32_t kDefaultBatch = 64;
constexpr uint32_t kMaxBatch = 1024;
// 16 KiB holds any packet up to the 8500-byte MTU used for appliances with room to spare;
// 64 slots x 16 KiB = 1 MiB per device.
constexpr uint32_t kDefaultSlotSize = 16384;
constexpr uint32_t kMinSlotSize = 2048;
constexpr uint32_t kMaxSlotSize = 65536;
// Rounds of "fill the slab, call JS" per poll event. One: each ready device gets one batch
// per loop iteration, so a device the engine writes into (an appliance behind a GWLB) is
// read back before its queue (txqueuelen 1000) overflows. With four, a flood from one host
// put up to 1,024 packets into the appliance per iteration and its queue dropped about half
// of what it forwarded: work done twice for nothing (bench, UDP 256 B flat out: 59-68k pps
// delivered on the GWLB path with four rounds, 93-117k with one; TCP unchanged).
constexpr int kMaxRoundsPerEvent = 1;

const char* ErrnoName(int err) {
  // libuv's error codes are -errno on Unix; it already knows every name.
  return uv_err_name(-err);
}

Napi::Error SyscallError(Napi::Env env, const std::string& syscall, const std::string& what, int err) {
  std::string msg = syscall;
  if (!what.empty()) msg += " " + what;
  msg += ": ";
  msg += ErrnoName(err);
  msg += " (";
  msg += strerror(err);
  msg += ")";
  Napi::Error e = Napi::Error::New(env, msg);
  e.Set("code", Napi::String::New(env, ErrnoName(err)));
  e.Set("errno", Napi::Number::New(env, -err));  // Node's convention for system errors
  e.Set("syscall", Napi::String::New(env, syscall));
  return e;
}

// Same rule as the kernel's dev_valid_name(), minus '%' (which would ask the kernel to
// pick a number and make the name unpredictable).
bool ValidIfName(const std::string& n) {
  if (n.empty() || n.size() >= IFNAMSIZ || n == "." || n == "..") return false;
  for (unsigned char c : n) {
    if (c == '/' || c == ':' || c == '%' || c <= ' ' || c == 0x7f) return false;
  }
  return true;
}

// A name under /var/run/netns: one path component, nothing that could climb out of it.
bool ValidNetnsName(const std::string& n) {
  if (n.empty() || n.size() > 255 || n == "." || n == "..") return false;
  for (unsigned char c : n) {
    if (c == '/' || c == 0) return false;
  }
  return true;
}

struct OpenResult {
  int fd = -1;
  std::string ifname;
  std::string syscall;  // set on failure
  std::string what;
  int err = 0;
};

void Fail(OpenResult* r, const char* syscall, const std::string& what, int err) {
  r->syscall = syscall;
  r->what = what;
  r->err = err;
}

void RestoreNetnsOrDie(int origFd) {
  if (setns(origFd, CLONE_NEWNET) != 0) {
    int err = errno;
    fprintf(stderr, "vpclab_tun: FATAL: cannot return to the original network namespace: setns: %s\n",
            strerror(err));
    abort();
  }
}

// Opens /dev/net/tun inside /var/run/netns/<netns> and attaches a new TUN named `name`.
// The calling thread is in the target namespace only between the two setns() calls.
OpenResult OpenTunInNetns(const std::string& netns, const std::string& name) {
  OpenResult r;
  const std::string nsPath = "/var/run/netns/" + netns;

  int origFd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (origFd < 0) {
    Fail(&r, "open", "/proc/thread-self/ns/net", errno);
    return r;
  }
  int nsFd = open(nsPath.c_str(), O_RDONLY | O_CLOEXEC);
  if (nsFd < 0) {
    Fail(&r, "open", nsPath, errno);
    close(origFd);
    return r;
  }
  // A "lab" namespace that is really the namespace we run in (ip netns attach x <our pid>)
  // would put the TUN in the root namespace: refuse.
  struct stat so, sn;
  if (fstat(origFd, &so) != 0 || fstat(nsFd, &sn) != 0) {
    Fail(&r, "fstat", nsPath, errno);
    close(nsFd);
    close(origFd);
    return r;
  }
  if (so.st_dev == sn.st_dev && so.st_ino == sn.st_ino) {
    Fail(&r, "setns", nsPath + " (is the namespace this process runs in)", EINVAL);
    close(nsFd);
    close(origFd);
    return r;
  }
  if (setns(nsFd, CLONE_NEWNET) != 0) {
    Fail(&r, "setns", nsPath, errno);
    close(nsFd);
    close(origFd);
    return r;
  }

  // --- inside the target namespace: no early returns until RestoreNetnsOrDie ---
  // The tun file takes its namespace from the opener, so open() must happen here.
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    Fail(&r, "open", "/dev/net/tun", errno);
  } else {
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    // IFF_TUN_EXCL: fail with EBUSY instead of silently attaching to an existing device.
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI | IFF_TUN_EXCL;
    memcpy(ifr.ifr_name, name.data(), name.size());  // size < IFNAMSIZ checked by caller
    if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
      Fail(&r, "ioctl", "TUNSETIFF " + name + " in netns " + netns, errno);
      close(fd);
      fd = -1;
    } else {
      ifr.ifr_name[IFNAMSIZ - 1] = 0;
      r.ifname = ifr.ifr_name;
      r.fd = fd;
    }
  }
  RestoreNetnsOrDie(origFd);
  // --- back in the original namespace ---

  close(nsFd);
  close(origFd);
  return r;
}

bool IsDetached(napi_env env, napi_ref ref) {
  napi_value v;
  if (napi_get_reference_value(env, ref, &v) != napi_ok || v == nullptr) return true;
  napi_value ab = v;
  bool isTa = false;
  napi_is_typedarray(env, v, &isTa);
  if (isTa) {
    if (napi_get_typedarray_info(env, v, nullptr, nullptr, nullptr, &ab, nullptr) != napi_ok) return true;
  }
  bool detached = false;
  if (napi_is_detached_arraybuffer(env, ab, &detached) != napi_ok) return true;
  return detached;
}

// Byte view of a Uint8Array/Buffer argument, or nullptr after throwing a TypeError.
bool GetBytes(Napi::Env env, napi_value v, uint8_t** data, size_t* len, const char* what) {
  bool isTa = false;
  napi_typedarray_type type;
  void* p = nullptr;
  if (napi_is_typedarray(env, v, &isTa) != napi_ok || !isTa ||
      napi_get_typedarray_info(env, v, &type, len, &p, nullptr, nullptr) != napi_ok || type != napi_uint8_array) {
    Napi::TypeError::New(env, std::string(what) + " must be a Buffer or Uint8Array").ThrowAsJavaScriptException();
    return false;
  }
  *data = static_cast<uint8_t*>(p);
  return true;
}

bool GetInt32s(Napi::Env env, napi_value v, const int32_t** data, size_t* len, const char* what) {
  bool isTa = false;
  napi_typedarray_type type;
  void* p = nullptr;
  if (napi_is_typedarray(env, v, &isTa) != napi_ok || !isTa ||
      napi_get_typedarray_info(env, v, &type, len, &p, nullptr, nullptr) != napi_ok || type != napi_int32_array) {
    Napi::TypeError::New(env, std::string(what) + " must be an Int32Array").ThrowAsJavaScriptException();
    return false;
  }
  *data = static_cast<const int32_t*>(p);
  return true;
}

class Tun : public Napi::ObjectWrap<Tun> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Tun",
                       {
                           InstanceMethod<&Tun::Start>("start"),
                           InstanceMethod<&Tun::WriteBatch>("writeBatch"),
                           InstanceMethod<&Tun::Write>("write"),
                           InstanceMethod<&Tun::Close>("close"),
                           InstanceMethod<&Tun::Stats>("stats"),
                       });
  }

  // new Tun(netns, name, batch?, slotSize?, headroom?)
  explicit Tun(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Tun>(info), env_(info.Env()) {
    Napi::Env env = info.Env();
    if (info.Length() < 2 || !info[0].IsString() || !info[1].IsString()) {
      Napi::TypeError::New(env, "Tun(netns: string, name: string, batch?: number, slotSize?: number)")
          .ThrowAsJavaScriptException();
      return;
    }
    std::string netns = info[0].As<Napi::String>().Utf8Value();
    std::string name = info[1].As<Napi::String>().Utf8Value();
    uint32_t batch = kDefaultBatch, slot = kDefaultSlotSize;
    if (info.Length() > 2 && !info[2].IsUndefined()) {
      if (!info[2].IsNumber()) {
        Napi::TypeError::New(env, "batch must be a number").ThrowAsJavaScriptException();
        return;
      }
      double b = info[2].As<Napi::Number>().DoubleValue();
      if (!(b >= 1 && b <= kMaxBatch) || b != static_cast<uint32_t>(b)) {
        Napi::RangeError::New(env, "batch must be an integer in 1.." + std::to_string(kMaxBatch))
            .ThrowAsJavaScriptException();
        return;
      }
      batch = static_cast<uint32_t>(b);
    }
    if (info.Length() > 3 && !info[3].IsUndefined()) {
      if (!info[3].IsNumber()) {
        Napi::TypeError::New(env, "slotSize must be a number").ThrowAsJavaScriptException();
        return;
      }
      double s = info[3].As<Napi::Number>().DoubleValue();
      if (!(s >= kMinSlotSize && s <= kMaxSlotSize) || s != static_cast<uint32_t>(s) ||
          static_cast<uint32_t>(s) % 8 != 0) {
        Napi::RangeError::New(env, "slotSize must be a multiple of 8 in " + std::to_string(kMinSlotSize) + ".." +
                                       std::to_string(kMaxSlotSize))
            .ThrowAsJavaScriptException();
        return;
      }
      slot = static_cast<uint32_t>(s);
    }
    // Bytes left free at the start of each slot, before the packet: room for the engine to
    // prepend a header in place (a GWLB's Geneve encapsulation) instead of copying.
    uint32_t headroom = 0;
    if (info.Length() > 4 && !info[4].IsUndefined()) {
      if (!info[4].IsNumber()) {
        Napi::TypeError::New(env, "headroom must be a number").ThrowAsJavaScriptException();
        return;
      }
      double h = info[4].As<Napi::Number>().DoubleValue();
      if (!(h >= 0 && h <= slot / 4) || h != static_cast<uint32_t>(h) || static_cast<uint32_t>(h) % 8 != 0) {
        Napi::RangeError::New(env, "headroom must be a multiple of 8 in 0.." + std::to_string(slot / 4))
            .ThrowAsJavaScriptException();
        return;
      }
      headroom = static_cast<uint32_t>(h);
    }
    if (!ValidNetnsName(netns)) {
      Napi::Error::New(env, "invalid network namespace name: \"" + netns + "\"").ThrowAsJavaScriptException();
      return;
    }
    if (!ValidIfName(name)) {
      Napi::Error::New(env, "invalid interface name: \"" + name + "\" (1-15 bytes, no '/', ':', '%' or spaces)")
          .ThrowAsJavaScriptException();
      return;
    }

    // Allocate the JS-visible memory before touching any namespace, so a failure here
    // leaves nothing to undo. Node allocates (not external memory: Electron forbids that).
    Napi::Buffer<uint8_t> slab = Napi::Buffer<uint8_t>::New(env, static_cast<size_t>(batch) * slot);
    if (env.IsExceptionPending()) return;
    Napi::ArrayBuffer lab = Napi::ArrayBuffer::New(env, batch * sizeof(int32_t));
    if (env.IsExceptionPending()) return;
    Napi::Int32Array lengths = Napi::Int32Array::New(env, batch, lab, 0);
    if (env.IsExceptionPending()) return;

    OpenResult r = OpenTunInNetns(netns, name);
    if (r.fd < 0) {
      SyscallError(env, r.syscall, r.what, r.err).ThrowAsJavaScriptException();
      return;
    }
    fd_ = r.fd;
    batch_ = batch;
    slot_ = slot;
    headroom_ = headroom;
    slab_ = slab.Data();
    lengths_ = reinterpret_cast<int32_t*>(lab.Data());
    slabRef_ = Napi::Persistent(static_cast<Napi::Object>(slab));
    lengthsRef_ = Napi::Persistent(static_cast<Napi::Object>(lengths));

    Napi::Object self = info.This().As<Napi::Object>();
    self.Set("slab", slab);
    self.Set("lengths", lengths);
    self.Set("slotSize", Napi::Number::New(env, slot));
    self.Set("headroom", Napi::Number::New(env, headroom));
    self.Set("batch", Napi::Number::New(env, batch));
    self.Set("name", Napi::String::New(env, r.ifname));
    self.Set("netns", Napi::String::New(env, netns));

    napi_add_env_cleanup_hook(env, &Tun::OnEnvCleanup, this);
    hookAdded_ = true;
  }

  ~Tun() override { Shutdown(/*fromJs=*/false); }

 private:
  // start(callback: (count: number) => void)
  Napi::Value Start(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsFunction()) {
      Napi::TypeError::New(env, "start(callback: (count: number) => void)").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    if (fd_ < 0) {
      Napi::Error::New(env, "start: device is closed").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    if (stopped_) {
      Napi::Error::New(env, "start: polling stopped after an error (see stats().lastError)")
          .ThrowAsJavaScriptException();
      return env.Undefined();
    }
    cb_ = Napi::Persistent(info[0].As<Napi::Function>());
    if (poll_ != nullptr) return env.Undefined();  // already polling: just swap the callback

    uv_loop_t* loop = nullptr;
    if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
      Napi::Error::New(env, "start: no event loop").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    if (asyncCtx_ == nullptr) {
      napi_async_init(env, Value(), Napi::String::New(env, "vpclab.Tun"), &asyncCtx_);
    }
    auto* p = new uv_poll_t;
    int rc = uv_poll_init(loop, p, fd_);
    if (rc != 0) {
      delete p;
      SyscallError(env, "uv_poll_init", "", -rc).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    p->data = this;
    rc = uv_poll_start(p, UV_READABLE, &Tun::OnPoll);
    if (rc != 0) {
      p->data = nullptr;
      uv_close(reinterpret_cast<uv_handle_t*>(p), &Tun::OnPollClosed);
      SyscallError(env, "uv_poll_start", "", -rc).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    poll_ = p;
    // While polling, the device is a live resource (like a listening socket): keep the
    // JS object from being collected until close().
    if (!pinned_) {
      Ref();
      pinned_ = true;
    }
    return env.Undefined();
  }

  static void OnPoll(uv_poll_t* h, int status, int /*events*/) {
    auto* self = static_cast<Tun*>(h->data);
    if (self != nullptr) self->OnReadable(status);
  }

  static void OnPollClosed(uv_handle_t* h) { delete reinterpret_cast<uv_poll_t*>(h); }

  static void OnEnvCleanup(void* arg) {
    auto* self = static_cast<Tun*>(arg);
    self->hookAdded_ = false;  // the runtime removes it after calling us
    self->Shutdown(/*fromJs=*/false);
  }

  void OnReadable(int status) {
    if (status < 0) {
      // libuv already stopped the watcher (POLLERR): typically the interface was deleted,
      // e.g. its namespace went away. Stop for good instead of spinning.
      pollErrors_++;
      lastErrno_ = -status;
      StopPolling();
      return;
    }
    Napi::Env env = env_;
    Napi::HandleScope scope(env);
    // Holding the object in this scope keeps it alive even if the callback closes it and
    // drops the last reference.
    Napi::Object self = Value();
    for (int round = 0; round < kMaxRoundsPerEvent; round++) {
      if (poll_ == nullptr || fd_ < 0) return;
      if (IsDetached(env, slabRef_) || IsDetached(env, lengthsRef_)) {
        // Someone transferred the slab away: the pointers we hold are no longer ours.
        lastErrno_ = EFAULT;
        readErrors_++;
        StopPolling();
        return;
      }
      uint32_t n = 0;
      bool fatal = false;
      // One spare byte after each slot: tun's read() returns min(packet, buffer), so a
      // packet that does not fit shows up as slot_ + 1 instead of looking complete.
      struct iovec iov[2];
      iov[1].iov_base = &spill_;
      iov[1].iov_len = 1;
      // The packet goes after the slot's headroom; what does not fit in the rest is too big.
      const size_t room = slot_ - headroom_;
      iov[0].iov_len = room;
      while (n < batch_) {
        iov[0].iov_base = slab_ + static_cast<size_t>(n) * slot_ + headroom_;
        ssize_t r = readv(fd_, iov, 2);
        if (r < 0) {
          int err = errno;
          if (err == EINTR) continue;
          if (err == EAGAIN || err == EWOULDBLOCK) break;
          readErrors_++;
          lastErrno_ = err;
          // EBADFD: the interface is gone (deleted, or its namespace was). Other errors
          // are unexpected; stop rather than risk spinning on a level-triggered fd.
          fatal = true;
          break;
        }
        if (r == 0) break;
        if (static_cast<size_t>(r) > room) {
          // Larger than a slot: the rest of the packet is lost, so drop it and count it.
          truncated_++;
          continue;
        }
        lengths_[n++] = static_cast<int32_t>(r);
        rxBytes_ += static_cast<uint64_t>(r);
      }
      if (n > 0) {
        rxPackets_ += n;
        rxBatches_++;
        if (!Deliver(env, self, n)) return;
      }
      if (fatal) {
        StopPolling();
        return;
      }
      if (n < batch_) return;  // drained to EAGAIN
    }
  }

  // Calls the JS callback through MakeCallback so promise jobs and nextTicks queued by
  // the handler run right after it, as for any Node I/O callback. Returns false if the
  // handler threw (then reported as an uncaught exception) or closed the device.
  bool Deliver(Napi::Env env, Napi::Object self, uint32_t n) {
    if (cb_.IsEmpty()) return false;
    napi_value argv[1];
    napi_create_uint32(env, n, &argv[0]);
    napi_value result;
    napi_status st = napi_make_callback(env, asyncCtx_, self, cb_.Value(), 1, argv, &result);
    if (st != napi_ok) {
      bool pending = false;
      napi_is_exception_pending(env, &pending);
      if (pending) {
        napi_value exc;
        napi_get_and_clear_last_exception(env, &exc);
        napi_fatal_exception(env, exc);
      }
      return false;
    }
    return poll_ != nullptr && fd_ >= 0;
  }

  void StopPolling() {
    if (poll_ != nullptr) {
      poll_->data = nullptr;
      uv_poll_stop(poll_);
      uv_close(reinterpret_cast<uv_handle_t*>(poll_), &Tun::OnPollClosed);
      poll_ = nullptr;
      stopped_ = true;
    }
    if (pinned_ && !tearingDown_) {
      pinned_ = false;
      Unref();
    }
  }

  void Shutdown(bool fromJs) {
    if (!fromJs) tearingDown_ = true;
    StopPolling();  // before close(fd): libuv must drop the fd from epoll first
    if (fd_ >= 0) {
      close(fd_);  // the kernel deletes the (non-persistent) interface
      fd_ = -1;
    }
    if (hookAdded_) {
      napi_remove_env_cleanup_hook(env_, &Tun::OnEnvCleanup, this);
      hookAdded_ = false;
    }
    if (fromJs) {
      cb_.Reset();
      if (asyncCtx_ != nullptr) {
        napi_async_destroy(env_, asyncCtx_);
        asyncCtx_ = nullptr;
      }
    }
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    Shutdown(/*fromJs=*/true);
    return info.Env().Undefined();
  }

  bool WriteOne(const uint8_t* p, size_t len) {
    for (;;) {
      ssize_t w = ::write(fd_, p, len);
      if (w >= 0) {
        txPackets_++;
        txBytes_ += len;
        return true;
      }
      int err = errno;
      if (err == EINTR) continue;
      if (err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS) {
        writeDrops_++;
      } else {
        // EINVAL: not an IPv4/IPv6 packet; EIO: interface down; EBADFD: interface gone.
        writeErrors_++;
        lastWriteErrno_ = err;
      }
      return false;
    }
  }

  // writeBatch(buf, offsets: Int32Array, lengths: Int32Array, count) -> accepted
  Napi::Value WriteBatch(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 4) {
      Napi::TypeError::New(env, "writeBatch(buf, offsets, lengths, count)").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    uint8_t* buf;
    size_t bufLen, nOff, nLen;
    const int32_t* offs;
    const int32_t* lens;
    if (!GetBytes(env, info[0], &buf, &bufLen, "buf") || !GetInt32s(env, info[1], &offs, &nOff, "offsets") ||
        !GetInt32s(env, info[2], &lens, &nLen, "lengths")) {
      return env.Undefined();
    }
    int64_t count = 0;
    if (napi_get_value_int64(env, info[3], &count) != napi_ok) {
      Napi::TypeError::New(env, "count must be a number").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    if (count < 0 || static_cast<uint64_t>(count) > nOff || static_cast<uint64_t>(count) > nLen) {
      Napi::RangeError::New(env, "count out of range of offsets/lengths").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    uint32_t ok = 0;
    if (fd_ >= 0) {
      for (int64_t i = 0; i < count; i++) {
        int64_t off = offs[i], len = lens[i];
        if (off < 0 || len <= 0 || off + len > static_cast<int64_t>(bufLen)) {
          writeInvalid_++;
          continue;
        }
        if (WriteOne(buf + off, static_cast<size_t>(len))) ok++;
      }
    }
    napi_value out;
    napi_create_uint32(env, ok, &out);
    return Napi::Value(env, out);
  }

  // write(buf, offset, length) -> boolean
  Napi::Value Write(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    uint8_t* buf;
    size_t bufLen;
    if (info.Length() < 3) {
      Napi::TypeError::New(env, "write(buf, offset, length)").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    if (!GetBytes(env, info[0], &buf, &bufLen, "buf")) return env.Undefined();
    int64_t off = 0, len = 0;
    if (napi_get_value_int64(env, info[1], &off) != napi_ok || napi_get_value_int64(env, info[2], &len) != napi_ok) {
      Napi::TypeError::New(env, "offset and length must be numbers").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    bool ok = false;
    if (fd_ >= 0) {
      if (off < 0 || len <= 0 || off > static_cast<int64_t>(bufLen) || len > static_cast<int64_t>(bufLen) - off) {
        writeInvalid_++;
      } else {
        ok = WriteOne(buf + off, static_cast<size_t>(len));
      }
    }
    return Napi::Boolean::New(env, ok);
  }

  Napi::Value Stats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Object o = Napi::Object::New(env);
    auto num = [&](const char* k, uint64_t v) { o.Set(k, Napi::Number::New(env, static_cast<double>(v))); };
    num("rxPackets", rxPackets_);
    num("rxBytes", rxBytes_);
    num("rxBatches", rxBatches_);
    num("readErrors", readErrors_);
    num("truncated", truncated_);
    num("pollErrors", pollErrors_);
    num("txPackets", txPackets_);
    num("txBytes", txBytes_);
    num("writeDrops", writeDrops_);
    num("writeErrors", writeErrors_);
    num("writeInvalid", writeInvalid_);
    o.Set("lastError", lastErrno_ ? Napi::Value(Napi::String::New(env, ErrnoName(lastErrno_))) : env.Null());
    o.Set("lastWriteError",
          lastWriteErrno_ ? Napi::Value(Napi::String::New(env, ErrnoName(lastWriteErrno_))) : env.Null());
    o.Set("open", Napi::Boolean::New(env, fd_ >= 0));
    o.Set("polling", Napi::Boolean::New(env, poll_ != nullptr));
    return o;
  }

  napi_env env_;
  int fd_ = -1;
  uint32_t batch_ = 0;
  uint32_t slot_ = 0;
  uint32_t headroom_ = 0;
  uint8_t* slab_ = nullptr;
  int32_t* lengths_ = nullptr;
  Napi::ObjectReference slabRef_;
  Napi::ObjectReference lengthsRef_;
  Napi::FunctionReference cb_;
  napi_async_context asyncCtx_ = nullptr;
  uv_poll_t* poll_ = nullptr;
  uint8_t spill_ = 0;  // catches the byte that tells a too-large packet from a full slot
  bool pinned_ = false;
  bool stopped_ = false;
  bool hookAdded_ = false;
  bool tearingDown_ = false;

  uint64_t rxPackets_ = 0, rxBytes_ = 0, rxBatches_ = 0;
  uint64_t readErrors_ = 0, truncated_ = 0, pollErrors_ = 0;
  uint64_t txPackets_ = 0, txBytes_ = 0;
  uint64_t writeDrops_ = 0, writeErrors_ = 0, writeInvalid_ = 0;
  int lastErrno_ = 0, lastWriteErrno_ = 0;
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Tun", Tun::Define(env));
  exports.Set("DEFAULT_SLOT_SIZE", Napi::Number::New(env, kDefaultSlotSize));
  exports.Set("DEFAULT_BATCH", Napi::Number::New(env, kDefaultBatch));
  exports.Set("MAX_BATCH", Napi::Number::New(env, kMaxBatch));
  return exports;
}

}  // namespace

NODE_API_MODULE(vpclab_tun, Init)
