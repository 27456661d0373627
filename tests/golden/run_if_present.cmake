# Runs sfs-golden on a golden set that lives outside the repository, or skips saying why.
#   cmake -DRUNNER=<sfs-golden> -DSET=<folder> -P run_if_present.cmake
if(NOT EXISTS ${SET}/manifest.json)
    message("SKIPPED: no golden set at ${SET} (it lives in the shared folder beside the checkout)")
    return()
endif()
execute_process(COMMAND ${RUNNER} ${SET} RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "sfs-golden ${SET} failed (exit ${result})")
endif()
