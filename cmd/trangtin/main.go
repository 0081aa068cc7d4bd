// Command trangtin runs the Trangtin platform: one process that serves the
// Department's site and every unit's site by Host, the editorial console and
// the API, plus the operator commands of the contract (migrate, tenant,
// user, demo, ...).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "trangtin: "+oneLine(err))
		os.Exit(1)
	}
}

// env is what a command may read from its surroundings; tests pass their own.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

type command struct {
	name  string
	usage string
	run   func(ctx context.Context, e env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "serve [--no-migrate]               run the platform (default command)", cmdServe},
		{"migrate", "migrate [status]                    apply pending migrations / list them", cmdMigrate},
		{"tenant", "tenant create|list|rename|set-slug|domain add|remove|move|merge|suspend|resume|archive ...  onboard, list and reorganise tenants", cmdTenant},
		{"user", "user create|grant ...               accounts and roles", cmdUser},
		{"token", "token create --email E [--name N]   print a new API token (shown once)", cmdToken},
		{"backup", "backup --out FILE                   snapshot of the embedded default (database + media)", cmdBackup},
		{"restore", "restore --in FILE                   put a snapshot back into an empty data dir", cmdRestore},
		{"demo", "demo                                fill an empty database with a demo organisation", cmdDemo},
		{"report", "report quota --month YYYY-MM [--format json|csv|xlsx|html] [--out FILE] [--parent SLUG]  the monthly quota report", cmdReport},
		{"export", "export --tenant S --out FILE        one tenant's content as a portable archive", cmdExport},
		{"import", "import --in FILE [--as SLUG] [--parent P] [--with-domains]  load an archive as a new tenant", cmdImport},
	}
}

// run dispatches to a command; with none it serves.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || (len(args[0]) > 0 && args[0][0] == '-' && args[0] != "-h" && args[0] != "--help") {
		return cmdServe(ctx, e, args)
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	return fmt.Errorf("unknown command %q (see trangtin help)", args[0])
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: trangtin <command> [flags]")
	for _, c := range commands() {
		fmt.Fprintln(w, "  trangtin "+c.usage)
	}
}

// oneLine keeps an error to one line for the terminal.
func oneLine(err error) string {
	s := err.Error()
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}
