# quitt's programs allocate many small strings on one thread (the CSV reader) and free them on
# another (the writer). glibc's malloc pays for that with arena locks and consolidation; jemalloc
# (Debian libjemalloc-dev) does not: the import needs about 28 % less CPU with it. Sanitizer builds
# keep the system allocator, which ASan replaces.
option(QUITT_JEMALLOC "Link the quitt programs with jemalloc" ON)

function(quitt_use_fast_allocator target)
  if(QUITT_JEMALLOC AND NOT QUITT_SANITIZE AND NOT QUITT_FUZZ)
    find_library(QUITT_JEMALLOC_LIBRARY NAMES jemalloc REQUIRED)
    target_link_libraries(${target} PRIVATE ${QUITT_JEMALLOC_LIBRARY})
  endif()
endfunction()
