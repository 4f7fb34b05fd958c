#include "core/text.h"

#include <gtest/gtest.h>

#include "wm/status.h"

namespace wm::core {
namespace {

TEST(TextTest, SanitizeReplacesInvalidUtf8AndControls) {
  EXPECT_EQ(sanitize_utf8("ok"), "ok");
  EXPECT_EQ(sanitize_utf8("a\x01" "b"), "a b");
  EXPECT_EQ(sanitize_utf8("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(sanitize_utf8("bad\xff"), "bad\xEF\xBF\xBD");
  EXPECT_EQ(sanitize_utf8("\xc0\xaf"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(sanitize_utf8("\xed\xa0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(sanitize_utf8("\xe2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // cut sequence
}

TEST(TextTest, TrimLowerEllipsize) {
  EXPECT_EQ(trim("  a b \n"), "a b");
  EXPECT_EQ(trim(std::string("x\0", 2)), "x");
  EXPECT_EQ(to_lower_ascii("©ART Make"), "©art make");
  EXPECT_EQ(ellipsize("abcdef", 3), "abc\xE2\x80\xA6");
  EXPECT_EQ(ellipsize("abc", 3), "abc");
  EXPECT_EQ(ellipsize("\xc3\xa9\xc3\xa9\xc3\xa9", 2), "\xc3\xa9\xc3\xa9\xE2\x80\xA6");
}

TEST(StatusTest, ContextAndResult) {
  const Status s = Status::corrupt_input("bad box").with_context("a.mp4");
  EXPECT_EQ(s.message(), "a.mp4: bad box");
  EXPECT_EQ(status_code_name(s.code()), "corrupt_input");
  Result<int> r = Status::not_found("x");
  EXPECT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  Result<int> ok = 5;
  EXPECT_EQ(*ok, 5);
  Result<int> from_ok_status = Status::ok();  // a Result must never be "ok without value"
  EXPECT_EQ(from_ok_status.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace wm::core
