// The `trustsheet` command: subcommands and their flags. main() only calls Run().
// Exit codes: 0 success, 1 failure, 2 bad usage. Errors go to stderr. Not thread-safe.
#pragma once

namespace ts::cli {

int Run(int argc, char** argv);

}  // namespace ts::cli
