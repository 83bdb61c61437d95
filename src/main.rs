//! The `niemyet` command: parses the command line, calls the library, and
//! maps the result to an exit status (0 success, 1 content errors, 2 usage).

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use niemyet::serve::ServeOptions;
use niemyet::{Options, ReportFormat};

/// Publishes administrative procedures as a fast, searchable static website.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --output).
    Build {
        /// The site folder, holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: ROOT/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Use this address instead of site.toml's base_url.
        #[arg(long)]
        base_url: Option<String>,
        /// Publish drafts too.
        #[arg(long)]
        drafts: bool,
    },
    /// Check everything and render in memory; write nothing.
    Check {
        /// The site folder, holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Preview the site at http://127.0.0.1:1111/, rebuilding as files change.
    Serve {
        /// The site folder, holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
    },
    /// Print the statistics of active procedures.
    Report {
        /// The site folder, holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// text for people, json for programs.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let started = Instant::now();
    let result = match Cli::parse().command {
        Command::Build { root, output, base_url, drafts } => {
            niemyet::build(&Options { root, output, base_url, drafts }).map(|s| {
                format!(
                    "Built {} procedures, {} files into {} in {:.2} s",
                    s.procedures,
                    s.files,
                    s.output.display(),
                    started.elapsed().as_secs_f64()
                )
            })
        }
        Command::Check { root } => niemyet::check(&Options { root, ..Options::default() })
            .map(|s| format!("No errors: {} procedures, {} files would be written", s.procedures, s.files)),
        Command::Serve { root, bind, port } => niemyet::serve::serve(&ServeOptions { root, bind, port }),
        Command::Report { root, format } => {
            let format = match format {
                Format::Text => ReportFormat::Text,
                Format::Json => ReportFormat::Json,
            };
            niemyet::report(&Options { root, ..Options::default() }, format).map(|r| r.trim_end().to_string())
        }
    };
    match result {
        Ok(message) => {
            // A reader that closed early (`niemyet report | head`) is not an error.
            let _ = writeln!(std::io::stdout(), "{message}");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::from(failure.exit_code() as u8)
        }
    }
}
