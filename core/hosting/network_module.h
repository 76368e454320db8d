// NetworkModule: the parts of checker that talk to mail servers, webhooks and
// peers' HTTP clients (the delivery channels through libcurl, the daemon's
// HTTP server through cpp-httplib) live in lib/checker/network.so, loaded
// only when one of them is needed. libcurl's dependency chain costs about
// 8 ms at every process start; a tick with nothing to deliver never loads it.
//
// network.so exports its entry points through Boost.DLL; callers name the
// entry and its signature (declared beside what uses it: the channel
// registry, the daemon mode).
#pragma once

#include <boost/dll/shared_library.hpp>
#include <string>

#include "util/status.h"

namespace checker {

class NetworkModule {
 public:
  // Loads network.so beside the plugin directory on first use, and keeps it
  // loaded for the life of the process.
  static Result<NetworkModule*> Get();

  // The entry point `name` of signature `Signature`.
  template <typename Signature>
  Signature& Entry(const char* name) {
    return library_.get_alias<Signature>(name);
  }

 private:
  NetworkModule() = default;
  boost::dll::shared_library library_;
};

}  // namespace checker
