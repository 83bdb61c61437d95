//! niemyet publishes a department's administrative procedures (thủ tục hành
//! chính) as a fast, searchable static website.
//!
//! The library is the product; the binary is a thin shell over [`build`],
//! [`check`] and [`report`]. Data flows one way:
//! load → parse → validate → [`site::Site`] → render → [`output::Writer`].
//!
//! ```no_run
//! let options = niemyet::Options { root: "my-site".into(), ..Default::default() };
//! match niemyet::build(&options) {
//!     Ok(summary) => println!("{} files written", summary.files),
//!     Err(failure) => eprintln!("{failure}"),
//! }
//! ```

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod feeds;
pub mod markdown;
pub mod open_data;
pub mod output;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod stats;
pub mod text;
pub mod theme;

use std::collections::HashSet;
use std::path::PathBuf;

use config::Config;
use diagnostics::Failure;
use output::Writer;
use render::Emit;
use site::Site;
use theme::Theme;

/// What to build and where.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The site folder, holding site.toml and content/.
    pub root: PathBuf,
    /// The output folder; `root/public` when not given.
    pub output: Option<PathBuf>,
    /// Replaces site.toml's `base_url`.
    pub base_url: Option<String>,
    /// Publishes drafts too.
    pub drafts: bool,
}

/// What a successful build or check did.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Published procedures.
    pub procedures: usize,
    /// Files in the built site.
    pub files: usize,
    /// The output folder (written by `build` only).
    pub output: PathBuf,
}

/// How `report` prints the statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// Lines for people, in the site's language.
    Text,
    /// The same figures as JSON.
    Json,
}

/// Builds the site into its output folder. On failure nothing is written
/// and the previous output stays as it was.
pub fn build(options: &Options) -> Result<Summary, Failure> {
    let output = options.output.clone().unwrap_or_else(|| options.root.join("public"));
    let previous = output::check_ours(&output)?;
    let (site, theme) = load(options)?;
    let writer = Writer::start(&output, previous)?;
    match render_site(&site, &theme, &|path, bytes| writer.put(path, bytes)) {
        Ok(files) => {
            writer.finish()?;
            Ok(Summary { procedures: site.procedures.len(), files, output })
        }
        Err(failure) => {
            writer.abandon();
            Err(failure)
        }
    }
}

/// Checks everything a build would, and renders every page in memory, but
/// writes nothing.
pub fn check(options: &Options) -> Result<Summary, Failure> {
    let (site, theme) = load(options)?;
    let files = render_site(&site, &theme, &|_, _| Ok(()))?;
    let output = options.output.clone().unwrap_or_else(|| options.root.join("public"));
    Ok(Summary { procedures: site.procedures.len(), files, output })
}

/// The statistics of contract §8 over the site's active procedures.
pub fn report(options: &Options, format: ReportFormat) -> Result<String, Failure> {
    let (site, theme) = load(options)?;
    let stats = stats::compute(&site);
    Ok(match format {
        ReportFormat::Text => stats::text_report(&stats, &site.config.title, site.config.language, &theme.strings),
        ReportFormat::Json => serde_json::to_string_pretty(&stats).expect("statistics serialise") + "\n",
    })
}

/// Reads site.toml, the theme and the content, and checks them across files.
fn load(options: &Options) -> Result<(Site, Theme), Failure> {
    if !options.root.is_dir() {
        return Err(Failure::Usage(format!("the site folder {} does not exist", options.root.display())));
    }
    let mut config = Config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.base_url = config::normalize_base_url(url).map_err(Failure::Usage)?;
    }
    let theme = Theme::load(&options.root, &config);
    let content = content::load(&options.root, &config)?;
    match (Site::new(config, content, options.drafts), theme) {
        (Ok(site), Ok(theme)) => Ok((site, theme)),
        (_, Err(failure @ Failure::Usage(_))) => Err(failure),
        (Err(Failure::Content(mut errors)), Err(Failure::Content(more))) => {
            errors.extend(more);
            Err(Failure::content(errors))
        }
        (Err(failure), _) | (_, Err(failure)) => Err(failure),
    }
}

/// Makes every file of the site — pages, data files, feeds, the theme's
/// assets and the site's static files — and hands each to `emit`.
/// Returns how many files there were.
pub fn render_site(site: &Site, theme: &Theme, emit: &Emit<'_>) -> Result<usize, Failure> {
    let mut files = render::render_pages(site, theme, emit)?;
    for path in DATA_FILES {
        emit(path, &data_file(site, theme, path).expect("one of the data files"))?;
    }
    for (path, bytes) in search::files(site, &theme.strings) {
        emit(&path, &bytes)?;
        files += 1;
    }
    let own: HashSet<&str> = site.static_files.iter().map(|(path, _)| path.as_str()).collect();
    for (rel, bytes) in &theme.static_files {
        let path = format!("assets/{rel}");
        if !own.contains(path.as_str()) {
            emit(&path, bytes)?;
            files += 1;
        }
    }
    for (path, bytes) in &site.static_files {
        emit(path, bytes)?;
    }
    Ok(files + DATA_FILES.len() + site.static_files.len())
}

/// The files every site has besides its pages, the search index and the
/// static files, by output path.
pub const DATA_FILES: [&str; 5] =
    ["sitemap.xml", "robots.txt", "feed.xml", "du-lieu/thu-tuc.json", "du-lieu/thu-tuc.csv"];

/// Makes the file at output path `path`, one of [`DATA_FILES`]; `None` for
/// any other path.
pub fn data_file(site: &Site, theme: &Theme, path: &str) -> Option<Vec<u8>> {
    match path {
        "sitemap.xml" => Some(feeds::sitemap(site).into_bytes()),
        "robots.txt" => Some(feeds::robots(site).into_bytes()),
        "feed.xml" => Some(feeds::atom(site, &theme.strings).into_bytes()),
        "du-lieu/thu-tuc.json" => Some(open_data::json(site)),
        "du-lieu/thu-tuc.csv" => Some(open_data::csv(site)),
        _ => None,
    }
}
