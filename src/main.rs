//! `cspdesk`: the command line of CSP Desk, for people and for automation (`--json`).

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
