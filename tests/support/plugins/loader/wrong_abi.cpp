// A plugin built, as it were, against another SDK: it exports an ABI number
// one higher than this checker's, and a factory the loader must not call.
#include <checker/plugin.h>

#include <cstdlib>

namespace {

class NeverMadeJob : public checker::JobBase {
 public:
  std::string Name() const override { return "wrong_abi:job"; }
  checker::JobResult Execute(const checker::RunContext&) override { return {true, ""}; }
};

}  // namespace

namespace wrong_abi_exports {
extern const int abi = CHECKER_SDK_ABI + 1;
std::unique_ptr<checker::JobBase> create_job() {
  std::abort();  // the loader reads the ABI number first and stops there
  return std::make_unique<NeverMadeJob>();
}
}  // namespace wrong_abi_exports
BOOST_DLL_ALIAS(wrong_abi_exports::abi, checker_sdk_abi)
BOOST_DLL_ALIAS(wrong_abi_exports::create_job, checker_create_job)
