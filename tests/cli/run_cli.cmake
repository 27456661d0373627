# Runs PROGRAM with ARGS (a ;-list), checks the exit code and that stdout+stderr match a regex.
set(args ${ARGS})
list(FILTER args EXCLUDE REGEX "^$")
execute_process(COMMAND ${PROGRAM} ${args}
    RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
string(REPLACE "\n" " " flat "${all}")
if(NOT "${code}" STREQUAL "${EXPECT_EXIT}")
    message(FATAL_ERROR "exit code ${code}, expected ${EXPECT_EXIT}. Output:\n${all}")
endif()
if(EXPECT_MATCH AND NOT flat MATCHES "${EXPECT_MATCH}")
    message(FATAL_ERROR "output does not match '${EXPECT_MATCH}'. Output:\n${all}")
endif()
message(STATUS "ok: exit ${code}\n${all}")
