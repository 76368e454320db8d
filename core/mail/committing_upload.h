// CommittingUpload: the libcurl read callback of the SMTP client and the webhook
// channels. It hands out a message and calls `committing` right before it
// gives out the last byte, the point after which the server may act on the
// message (see Outbox for why that matters).
#pragma once

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <functional>
#include <string>

namespace checker {

struct CommittingUpload {
  CommittingUpload(const std::string& data, const std::function<void()>& committing)
      : data(data), committing(committing) {}

  // For CURLOPT_READFUNCTION, with this object as CURLOPT_READDATA.
  static std::size_t Read(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto& upload = *static_cast<CommittingUpload*>(user);
    const std::size_t chunk = std::min(size * count, upload.data.size() - upload.offset);
    if (!upload.committed && upload.offset + chunk == upload.data.size()) {
      upload.committed = true;
      try {
        if (upload.committing) upload.committing();
      } catch (...) {
        upload.error = std::current_exception();  // must not unwind through libcurl
        return CURL_READFUNC_ABORT;
      }
    }
    std::memcpy(buffer, upload.data.data() + upload.offset, chunk);
    upload.offset += chunk;
    return chunk;
  }

  const std::string& data;
  const std::function<void()>& committing;
  std::size_t offset = 0;
  bool committed = false;
  std::exception_ptr error;  // thrown by `committing`; rethrow after curl_easy_perform
};

}  // namespace checker
