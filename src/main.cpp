#include "cli/app.hpp"

int main(int argc, char** argv) {
    return certfleet::cli::run(argc, argv);
}
