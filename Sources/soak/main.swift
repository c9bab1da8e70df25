// soak: the soak and memory-leak harness. Parses arguments, maps errors to exit codes and
// prints; everything else is in SoakKit.
import Glibc
import SoakKit

exit(SoakCommandLine.main(Array(CommandLine.arguments.dropFirst())))
