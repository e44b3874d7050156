// Shared oneDNN plumbing of the addon's kernel files: one CPU engine and stream, user buffers
// wrapped without copies, and one primitive cache keyed by kernel and shape (so every kernel file
// shares clear_cache() and cache_size()).
#pragma once

#include <dnnl.hpp>
#include <memory>
#include <string>
#include <unordered_map>

namespace convscope {
namespace detail {

using dnnl::memory;

inline dnnl::engine &engine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}

inline dnnl::stream &stream() {
  static dnnl::stream s(engine());
  return s;
}

// A user buffer wrapped as oneDNN memory. Cheap: no allocation, the handle is the pointer.
inline memory wrap(const memory::desc &md, const void *ptr) {
  return memory(md, engine(), const_cast<void *>(ptr));
}

// Base of every cache entry, so one map holds all kernels' primitive sets.
struct Entry {
  virtual ~Entry() = default;
};

inline std::unordered_map<std::string, std::unique_ptr<Entry>> &cache() {
  static std::unordered_map<std::string, std::unique_ptr<Entry>> c;
  return c;
}

// Returns the cached entry for key, building it with make() on first use.
template <typename T, typename Make>
T &cached(const std::string &key, Make make) {
  auto &c = cache();
  auto it = c.find(key);
  if (it == c.end()) it = c.emplace(key, std::unique_ptr<Entry>(make())).first;
  return *static_cast<T *>(it->second.get());
}

}  // namespace detail
}  // namespace convscope
