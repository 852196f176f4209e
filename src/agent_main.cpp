#include "cli/agent_program.hpp"

int main(int argc, char** argv) {
    return certfleet::cli::run_agent_program(argc, argv);
}
