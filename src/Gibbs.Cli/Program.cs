// gibbs — the command-line tool. Parses the command line, applies global options (--seed, --device,
// --threads, --json), runs the command, and turns every error into one line on stderr + exit code.
using Gibbs.Cli;

return Cli.Run(args);
