# One warning list for the whole tree. Warnings are errors: a warning left alone today hides the bug
# of tomorrow.
set(QUITT_WARNINGS -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor -Wmissing-declarations -Wundef -Wvla
    -Wimplicit-fallthrough)
if(QUITT_SANITIZE)
  # g++ 12 reports false "may be used uninitialized" warnings inside libstdc++ (std::regex,
  # std::function) once ASan instruments the code; the normal build keeps the warning as an error.
  list(APPEND QUITT_WARNINGS -Wno-maybe-uninitialized)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
