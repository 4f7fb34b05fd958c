// Status and Result<T>: errors are values that name what failed.
//
// No exception crosses the public API. Every fallible call returns a Status or a Result<T>;
// the message names the file, stream or structure that failed and, where FFmpeg reported the
// failure, FFmpeg's own words ("decode audio stream 1: Invalid data found when processing input").
// Thread safety: plain values; copy freely between threads.
#ifndef WM_STATUS_H_
#define WM_STATUS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "wm/export.h"

namespace wm {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // the caller passed something unusable (bad option, bad view)
  kNotFound,         // the input does not exist
  kUnsupported,      // the input is not media we can open (not a container FFmpeg knows)
  kCorruptInput,     // the input is media but its structure is broken or truncated
  kIoError,          // reading failed (permissions, a directory, device error)
  kCancelled,        // the host cancelled the work
  kLimitExceeded,    // a guard against absurd input tripped (dimensions, sizes)
  kInternal,         // a bug or an unexpected library failure
};

// Stable lower-case name of a code ("corrupt_input"), used in reports.
WM_EXPORT std::string_view status_code_name(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }
  static Status invalid_argument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status not_found(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
  static Status corrupt_input(std::string m) { return {StatusCode::kCorruptInput, std::move(m)}; }
  static Status io_error(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
  static Status limit_exceeded(std::string m) { return {StatusCode::kLimitExceeded, std::move(m)}; }
  static Status internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool is_ok() const { return code_ == StatusCode::kOk; }
  explicit operator bool() const { return is_ok(); }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // The same status with "context: " in front of the message; ok stays ok.
  Status with_context(std::string_view context) const {
    if (is_ok()) return *this;
    return {code_, std::string(context) + ": " + message_};
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a T or a non-ok Status.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : state_(std::in_place_index<1>, std::move(status)) {  // NOLINT
    if (std::get<1>(state_).is_ok()) state_ = Status::internal("Result built from an ok Status");
  }

  bool is_ok() const { return state_.index() == 0; }
  explicit operator bool() const { return is_ok(); }
  const Status& status() const {
    static const Status kOkStatus;
    return is_ok() ? kOkStatus : std::get<1>(state_);
  }
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace wm

#define WM_CONCAT_INNER_(a, b) a##b
#define WM_CONCAT_(a, b) WM_CONCAT_INNER_(a, b)

#define WM_RETURN_IF_ERROR(expr)              \
  do {                                        \
    ::wm::Status wm_status_ = (expr);         \
    if (!wm_status_.is_ok()) return wm_status_; \
  } while (false)

#define WM_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.is_ok()) return tmp.status();          \
  lhs = std::move(tmp).value()

#define WM_ASSIGN_OR_RETURN(lhs, expr) \
  WM_ASSIGN_OR_RETURN_IMPL_(WM_CONCAT_(wm_result_, __LINE__), lhs, expr)

#endif  // WM_STATUS_H_
