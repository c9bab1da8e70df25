// soak: the soak and memory-leak harness. Parses arguments, maps errors to exit codes and
// prints; everything else is in SoakCLI and the modules below it.
import Glibc
import SoakCLI

exit(SoakCommandLine.main(Array(CommandLine.arguments.dropFirst())))
