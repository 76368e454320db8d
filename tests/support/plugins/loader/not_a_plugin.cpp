// A shared object that exports something, but nothing of a checker plugin.
extern "C" __attribute__((visibility("default"))) int not_a_plugin_answer() { return 42; }
