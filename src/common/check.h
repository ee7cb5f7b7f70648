#pragma once
// QUITT_CHECK: an invariant that holds unless quitt itself has a bug. Always on, also in release
// builds, because continuing with broken money or history is worse than stopping. Never use it
// for anything user input can trigger; that is what Status is for.
#include <cstdio>
#include <cstdlib>

#define QUITT_CHECK(condition)                                                           \
  do {                                                                                   \
    if (!(condition)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)
