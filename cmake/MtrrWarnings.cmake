# mtrr_warnings(target): the project's warning set, -Werror with MTRR_WERROR.
function(mtrr_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wconversion
    -Wshadow -Wstrict-prototypes -Wmissing-prototypes)
  if(MTRR_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
