# Writes a .cc file holding a service's migration SQL files, so the binary
# carries its schema wherever it is deployed.
#   cmake -DDIR=... -DOUT=... -DFUNC=OrgMigrations -DCOMPONENT=service -P embed_migrations.cmake
file(GLOB files RELATIVE "${DIR}" "${DIR}/*.sql")
list(SORT files)
set(body "// Generated from ${DIR} by common/embed_migrations.cmake. Do not edit.\n")
string(APPEND body "#include <vector>\n#include \"common/migrations.h\"\n\nnamespace lianxin {\n\n")
string(APPEND body "const std::vector<Migration>& ${FUNC}() {\n  static const auto* m = new std::vector<Migration>{\n")
foreach(f IN LISTS files)
  string(REGEX MATCH "^[0-9]+" num "${f}")
  math(EXPR version "${num}")
  file(READ "${DIR}/${f}" sql)
  string(APPEND body "    {${version}, \"${f}\", R\"lianxin_sql(${sql})lianxin_sql\", \"${COMPONENT}\"},\n")
endforeach()
string(APPEND body "  };\n  return *m;\n}\n\n}  // namespace lianxin\n")
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
