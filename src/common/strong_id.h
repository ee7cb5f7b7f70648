#pragma once
// StrongId<Tag>: an int64 identifier that cannot be mixed up with another kind of id.
// ClientId and CaseId are both numbers in the database, but passing one where the other is
// expected does not compile.
#include <compare>
#include <cstdint>
#include <functional>

namespace quitt {

template <typename Tag>
class StrongId {
 public:
  constexpr StrongId() = default;
  constexpr explicit StrongId(std::int64_t value) : value_(value) {}
  constexpr std::int64_t value() const { return value_; }
  constexpr bool valid() const { return value_ > 0; }
  friend constexpr auto operator<=>(StrongId, StrongId) = default;

 private:
  std::int64_t value_ = 0;
};

}  // namespace quitt

template <typename Tag>
struct std::hash<quitt::StrongId<Tag>> {
  std::size_t operator()(quitt::StrongId<Tag> id) const noexcept {
    return std::hash<std::int64_t>()(id.value());
  }
};
