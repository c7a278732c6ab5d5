# caseledger_flatbuffers(TARGET name SCHEMAS a.fbs b.fbs ...)
# Generates C++ headers from FlatBuffers schemas at build time into the build tree
# (generated code is never committed) and exposes them through an INTERFACE target.
function(caseledger_flatbuffers)
  cmake_parse_arguments(ARG "" "TARGET" "SCHEMAS" ${ARGN})
  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/generated/schemas)
  set(headers)
  foreach(schema ${ARG_SCHEMAS})
    get_filename_component(name ${schema} NAME_WE)
    set(header ${out_dir}/${name}_generated.h)
    add_custom_command(
      OUTPUT ${header}
      COMMAND ${FLATC} --cpp --scoped-enums -I ${CMAKE_CURRENT_SOURCE_DIR}
              -o ${out_dir} ${CMAKE_CURRENT_SOURCE_DIR}/${schema}
      DEPENDS ${ARG_SCHEMAS}
      COMMENT "flatc ${schema}"
      VERBATIM)
    list(APPEND headers ${header})
  endforeach()
  add_custom_target(${ARG_TARGET}_gen DEPENDS ${headers})
  add_library(${ARG_TARGET} INTERFACE)
  add_dependencies(${ARG_TARGET} ${ARG_TARGET}_gen)
  target_include_directories(${ARG_TARGET} INTERFACE ${CMAKE_CURRENT_BINARY_DIR}/generated)
  target_link_libraries(${ARG_TARGET} INTERFACE flatbuffers::flatbuffers)
endfunction()
