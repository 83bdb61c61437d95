//! The `niemyet` command: parses the command line, calls the library, and
//! maps the result to an exit status (0 success, 1 content errors, 2 usage).

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};
use niemyet::catalogue::ImportOptions;
use niemyet::content::front_matter::Date;
use niemyet::diagnostics::{self, Failure, Format};
use niemyet::messages::Language;
use niemyet::progress::Timing;
use niemyet::serve::ServeOptions;
use niemyet::{msg, scaffold, Options, ReportFormat};

/// mimalloc: a build makes and frees millions of small strings from two or
/// more threads at once, where the system allocator spends a sixth of the run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Publishes administrative procedures as a fast, searchable static website.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The language of messages (default: the site's `language`).
    #[arg(long, global = true, value_enum)]
    lang: Option<Lang>,
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
        /// Print the time of each stage (load, checks, render, search index, write).
        #[arg(long)]
        timings: bool,
    },
    /// Check everything and render in memory; write nothing.
    Check {
        /// The site folder, holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// text for people, json for programs, github for workflow annotations.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// Treat warnings as errors (exit status 1).
        #[arg(long)]
        strict: bool,
        /// Check drafts too, as `build --drafts` would publish them.
        #[arg(long)]
        drafts: bool,
        /// Print the time of each stage (load, checks, render, search index).
        #[arg(long)]
        timings: bool,
    },
    /// Write a new procedure, notice or page file to fill in, every field explained.
    New {
        /// What to write.
        #[arg(value_enum)]
        kind: NewKind,
        /// Its title, in quotes: "Đăng ký công bố hợp chuẩn".
        title: String,
        /// The site folder, holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The file name without .md (default: made from the title).
        #[arg(long)]
        slug: Option<String>,
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
        /// Turn the editor (/_sua/) on at an address other than 127.0.0.1: anyone who reaches it can change the files.
        #[arg(long)]
        edit: bool,
    },
    /// Read a catalogue table (.xlsx, .xls, .ods, .csv) into the site: new codes become files, known ones are updated.
    Import {
        /// The table: the annex of a decision, or an export of the national database.
        file: PathBuf,
        /// The site folder, holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The sheet to read (default: the first one with a header).
        #[arg(long)]
        sheet: Option<String>,
        /// Print what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Make the new procedures drafts.
        #[arg(long)]
        draft: bool,
        /// Mark procedures that the table does not list as abolished.
        #[arg(long)]
        abolish_missing: bool,
        /// A column it does not know: "Header=key" (repeatable).
        #[arg(long, value_name = "HEADER=KEY")]
        map: Vec<String>,
    },
    /// Write the site's catalogue as a table (.xlsx or .csv) in the shape of an annex.
    Export {
        /// The table to write.
        file: PathBuf,
        /// The site folder, holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Print the statistics of active procedures.
    Report {
        /// The site folder, holding site.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// text for people, json for programs.
        #[arg(long, value_enum, default_value_t = ReportAs::Text)]
        format: ReportAs,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum NewKind {
    Procedure,
    Notice,
    Page,
}

#[derive(Clone, Copy, ValueEnum)]
enum Lang {
    Vi,
    En,
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportAs {
    Text,
    Json,
}

/// What a command prints, and its exit status.
struct Outcome {
    stdout: String,
    stderr: String,
    status: u8,
    /// The stages' times of a check, for `--timings`.
    timings: Option<Vec<Timing>>,
}

impl Outcome {
    fn ok(stdout: String, stderr: String) -> Self {
        Outcome { stdout, stderr, status: 0, timings: None }
    }

    fn failed(failure: &Failure, language: Language) -> Self {
        let stderr = failure.render(language);
        Outcome { stdout: String::new(), stderr, status: failure.exit_code() as u8, timings: None }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = match &cli.command {
        Command::Build { root, .. }
        | Command::Check { root, .. }
        | Command::New { root, .. }
        | Command::Serve { root, .. }
        | Command::Report { root, .. }
        | Command::Import { root, .. }
        | Command::Export { root, .. } => root.clone(),
    };
    let language = match cli.lang {
        Some(Lang::Vi) => Language::Vi,
        Some(Lang::En) => Language::En,
        None => niemyet::message_language(&root),
    };
    let outcome = run(cli.command, language);
    // A reader that closed early (`niemyet report | head`) is not an error.
    if !outcome.stdout.is_empty() {
        let _ = writeln!(std::io::stdout(), "{}", outcome.stdout.trim_end());
    }
    if !outcome.stderr.is_empty() {
        let _ = writeln!(std::io::stderr(), "{}", outcome.stderr.trim_end());
    }
    ExitCode::from(outcome.status)
}

fn run(command: Command, language: Language) -> Outcome {
    let started = Instant::now();
    match command {
        Command::Build { root, output, base_url, drafts, timings } => {
            match niemyet::build(&Options { root, output, base_url, drafts, progress: Some(language) }) {
                Ok(s) => {
                    let built = msg!(
                        "built",
                        procedures = s.procedures,
                        files = s.files,
                        output = s.output.display().to_string(),
                        seconds = format!("{:.2}", started.elapsed().as_secs_f64())
                    );
                    let mut stderr = warnings_text(&s.warnings, language);
                    if timings {
                        stderr = add_lines(stderr, timings_text(&s.timings, started, language));
                        let kept = msg!("timings_kept", kept = s.kept, files = s.files);
                        stderr = add_lines(stderr, kept.render(language));
                    }
                    Outcome::ok(built.render(language), stderr)
                }
                Err(failure) => Outcome::failed(&failure, language),
            }
        }
        Command::Check { root, format, strict, drafts, timings } => {
            let options = Options { root, drafts, progress: Some(language), ..Options::default() };
            let mut outcome = check(&options, format, strict, language);
            if let (true, Some(stages)) = (timings, outcome.timings.take()) {
                outcome.stderr = add_lines(outcome.stderr, timings_text(&stages, started, language));
            }
            outcome
        }
        Command::New { kind, title, root, slug } => {
            let kind = match kind {
                NewKind::Procedure => scaffold::Kind::Procedure,
                NewKind::Notice => scaffold::Kind::Notice,
                NewKind::Page => scaffold::Kind::Page,
            };
            let request = scaffold::NewFile { root, kind, title, slug, today: Date::today() };
            match niemyet::new_file(&request) {
                Ok(created) => Outcome::ok(created.message().render(language), String::new()),
                Err(failure) => Outcome::failed(&failure, language),
            }
        }
        Command::Serve { root, bind, port, edit } => {
            match niemyet::serve::serve(&ServeOptions { root, bind, port, language, edit }) {
                Ok(stopped) => Outcome::ok(stopped.render(language), String::new()),
                Err(failure) => Outcome::failed(&failure, language),
            }
        }
        Command::Import { file, root, sheet, dry_run, draft, abolish_missing, map } => {
            let options =
                ImportOptions { root, file, sheet, map, dry_run, draft, abolish_missing, today: Date::today() };
            match niemyet::import(&options) {
                Ok(imported) => {
                    let lines: Vec<String> = imported.lines().iter().map(|line| line.render(language)).collect();
                    let warnings = diagnostics::render(&imported.warnings, Format::Text, language, false);
                    Outcome::ok(lines.join("\n"), warnings)
                }
                Err(failure) => Outcome::failed(&failure, language),
            }
        }
        Command::Export { file, root } => match niemyet::export(&root, &file) {
            Ok(n) => {
                let exported = msg!("exported", n = n, file = file.display().to_string());
                Outcome::ok(exported.render(language), String::new())
            }
            Err(failure) => Outcome::failed(&failure, language),
        },
        Command::Report { root, format } => {
            let format = match format {
                ReportAs::Text => ReportFormat::Text,
                ReportAs::Json => ReportFormat::Json,
            };
            match niemyet::report(&Options { root, ..Options::default() }, format) {
                Ok(report) => Outcome::ok(report, String::new()),
                Err(failure) => Outcome::failed(&failure, language),
            }
        }
    }
}

/// `check`: every diagnostic in the format asked for; warnings fail the run with --strict.
fn check(options: &Options, format: CheckFormat, strict: bool, language: Language) -> Outcome {
    let format = match format {
        CheckFormat::Text => Format::Text,
        CheckFormat::Json => Format::Json,
        CheckFormat::Github => Format::Github,
    };
    let (diagnostics, summary) = match niemyet::check(options) {
        Ok(summary) => (summary.warnings.clone(), Some(summary)),
        Err(Failure::Content(diagnostics)) => (diagnostics, None),
        Err(failure) => return Outcome::failed(&failure, language),
    };
    let failed = summary.is_none() || (strict && !diagnostics.is_empty());
    let status = u8::from(failed);
    let printed = diagnostics::render(&diagnostics, format, language, failed);
    let timings = summary.as_ref().map(|s| s.timings.clone());
    let outcome = match (format, summary) {
        (Format::Text, Some(s)) if !failed => {
            let checked = msg!("checked", procedures = s.procedures, files = s.files).render(language);
            Outcome::ok(checked, printed)
        }
        (Format::Text, _) => Outcome { stdout: String::new(), stderr: printed, status, timings: None },
        _ => Outcome { stdout: printed, stderr: String::new(), status, timings: None },
    };
    Outcome { timings, ..outcome }
}

/// `--timings`: each stage's time on a line, then the whole run's.
fn timings_text(timings: &[Timing], started: Instant, language: Language) -> String {
    let seconds = |d: Duration| format!("{:.2}", d.as_secs_f64());
    let mut lines = vec![msg!("timings_heading").render(language)];
    for t in timings {
        let line = match t.alongside {
            Some(other) => {
                msg!("timing_alongside", stage = t.stage.name(), seconds = seconds(t.duration), other = other.name())
            }
            None => msg!("timing", stage = t.stage.name(), seconds = seconds(t.duration)),
        };
        lines.push(line.render(language));
    }
    lines.push(msg!("timing", stage = msg!("timing_total"), seconds = seconds(started.elapsed())).render(language));
    lines.join("\n")
}

/// `more` on the lines after `text`.
fn add_lines(text: String, more: String) -> String {
    if text.trim_end().is_empty() {
        more
    } else {
        format!("{}\n{more}", text.trim_end())
    }
}

/// A successful build's warnings, counted in one line: `check` lists them.
fn warnings_text(warnings: &[diagnostics::Diagnostic], language: Language) -> String {
    match warnings.len() {
        0 => String::new(),
        n => msg!("build_warnings", n = n).render(language),
    }
}
