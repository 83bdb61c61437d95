//! niemyet publishes a department's administrative procedures (thủ tục hành
//! chính) as a fast, searchable static website.
//!
//! The library is the product; the binary is a thin shell over [`build`],
//! [`check`] and [`report`]. Data flows one way:
//! load → parse → validate → [`site::Site`] → render → [`output::Plan`] → write.
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
pub mod site;
pub mod stats;
pub mod text;
pub mod theme;

use std::path::PathBuf;

use config::Config;
use diagnostics::Failure;
use output::Plan;
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
    let plan = plan(&site, &theme)?;
    output::write(&plan, &output, previous)?;
    Ok(Summary { procedures: site.procedures.len(), files: plan.len(), output })
}

/// Checks everything a build would, and renders every page in memory, but
/// writes nothing.
pub fn check(options: &Options) -> Result<Summary, Failure> {
    let (site, theme) = load(options)?;
    let plan = plan(&site, &theme)?;
    let output = options.output.clone().unwrap_or_else(|| options.root.join("public"));
    Ok(Summary { procedures: site.procedures.len(), files: plan.len(), output })
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

/// Renders the whole site into an output plan: pages, data files, feeds and
/// static files. Files in the site's static/ may not replace generated ones.
pub fn plan(site: &Site, theme: &Theme) -> Result<Plan, Failure> {
    let mut plan: Plan = render::render_pages(site, theme)?.into_iter().collect();
    plan.insert("sitemap.xml".into(), feeds::sitemap(site).into_bytes());
    plan.insert("robots.txt".into(), feeds::robots(site).into_bytes());
    plan.insert("feed.xml".into(), feeds::atom(site, &theme.strings).into_bytes());
    plan.insert("du-lieu/thu-tuc.json".into(), open_data::json(site));
    plan.insert("du-lieu/thu-tuc.csv".into(), open_data::csv(site));
    for (rel, bytes) in &theme.static_files {
        plan.insert(format!("assets/{rel}"), bytes.clone());
    }
    let mut errors = Vec::new();
    for (rel, bytes) in &site.static_files {
        if plan.contains_key(rel) && !rel.starts_with("assets/") {
            errors.push(diagnostics::Diagnostic {
                path: format!("static/{rel}"),
                line: 1,
                col: 1,
                message: format!("this file would replace the page /{rel} that niemyet makes"),
                hint: Some("rename or move the file in static/".into()),
            });
        }
        plan.insert(rel.clone(), bytes.clone());
    }
    if errors.is_empty() {
        Ok(plan)
    } else {
        Err(Failure::content(errors))
    }
}
