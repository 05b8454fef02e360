#include "common/call_context.h"

namespace lianxin {
namespace {

thread_local bool must_not_block = false;

}  // namespace

bool MayBlock() { return !must_not_block; }

NoBlockingScope::NoBlockingScope() : outer_(must_not_block) { must_not_block = true; }

NoBlockingScope::~NoBlockingScope() { must_not_block = outer_; }

}  // namespace lianxin
