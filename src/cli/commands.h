// Shared by the subcommand files of the CLI: how a subcommand registers itself and how
// failures are reported. CLI11 stays in the .cc files.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace CLI {
class App;
}

namespace ts::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// A parsed subcommand and what runs it when it was given.
struct Command {
  CLI::App* app;
  std::function<int()> run;
};

// Prints "trustsheet COMMAND: message" to stderr; returns 2 for usage errors, else 1.
int Fail(std::string_view command, const Status& s);

void AddLibraryCommands(CLI::App& app, std::vector<Command>* commands);
void AddAnswerCommand(CLI::App& app, std::vector<Command>* commands);
void AddServerCommands(CLI::App& app, std::vector<Command>* commands);
void AddAssessCommand(CLI::App& app, std::vector<Command>* commands);

}  // namespace ts::cli
