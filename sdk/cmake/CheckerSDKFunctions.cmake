# checker_add_plugin(NAME source...)
#
# Builds NAME.so, a checker plugin: a module linked against checker::sdk with
# hidden visibility, so that it exports only what CHECKER_EXPORT_JOB or
# CHECKER_EXPORT_SPAWNER publishes. Its jobs are named "NAME:...".
function(checker_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE checker::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
endfunction()
