// A plugin with the right ABI number and no factory to make its jobs.
#include <checker/plugin.h>

namespace no_factory_exports {
extern const int abi = CHECKER_SDK_ABI;
}  // namespace no_factory_exports
BOOST_DLL_ALIAS(no_factory_exports::abi, checker_sdk_abi)
