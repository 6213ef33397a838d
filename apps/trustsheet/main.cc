// trustsheet: parse flags and call the core; nothing else.
#include "cli/cli.h"

int main(int argc, char** argv) { return ts::cli::Run(argc, argv); }
