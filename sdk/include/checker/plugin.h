// The one include of a plugin, and its export macros.
//
// A plugin is a shared object named PLUGIN.so that ends with exactly one of:
//
//   CHECKER_EXPORT_JOB(MyJob)          // MyJob : checker::JobBase, default-constructible
//   CHECKER_EXPORT_SPAWNER(MySpawner)  // MySpawner : checker::JobSpawner
//
// Each exports, through Boost.DLL, the SDK ABI number the plugin was built with
// and a factory. The core reads the ABI number first and calls nothing in a
// plugin whose number differs from its own.
#pragma once

#include <checker/abi.h>
#include <checker/job.h>
#include <checker/settings.h>

#include <boost/dll/alias.hpp>
#include <memory>

namespace checker::plugin_exports {
using JobFactory = std::unique_ptr<JobBase>();
using SpawnerFactory = std::unique_ptr<JobSpawner>();
}  // namespace checker::plugin_exports

#define CHECKER_EXPORT_ABI_                                 \
  namespace checker_plugin_exports_ {                       \
  extern const int checker_sdk_abi_value = CHECKER_SDK_ABI; \
  }                                                         \
  BOOST_DLL_ALIAS(checker_plugin_exports_::checker_sdk_abi_value, checker_sdk_abi)

#define CHECKER_EXPORT_JOB(JobClass)                                                        \
  CHECKER_EXPORT_ABI_                                                                       \
  namespace checker_plugin_exports_ {                                                       \
  std::unique_ptr<::checker::JobBase> create_job() { return std::make_unique<JobClass>(); } \
  }                                                                                         \
  BOOST_DLL_ALIAS(checker_plugin_exports_::create_job, checker_create_job)

#define CHECKER_EXPORT_SPAWNER(SpawnerClass)                                                           \
  CHECKER_EXPORT_ABI_                                                                                  \
  namespace checker_plugin_exports_ {                                                                  \
  std::unique_ptr<::checker::JobSpawner> create_spawner() { return std::make_unique<SpawnerClass>(); } \
  }                                                                                                    \
  BOOST_DLL_ALIAS(checker_plugin_exports_::create_spawner, checker_create_spawner)
