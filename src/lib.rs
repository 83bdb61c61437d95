//! niemyet publishes a department's administrative procedures (thủ tục hành
//! chính) as a fast, searchable static website.
//!
//! The library is the product; the binary is a thin shell over [`build`],
//! [`check`], [`report`], [`new_file`], [`import`] and [`export`]. Data flows one way:
//! load → parse → validate → [`site::Site`] → render → [`output::Writer`].
//!
//! ```no_run
//! let options = niemyet::Options { root: "my-site".into(), ..Default::default() };
//! match niemyet::build(&options) {
//!     Ok(summary) => println!("{} files written", summary.files),
//!     Err(failure) => eprintln!("{}", failure.render(niemyet::messages::Language::Vi)),
//! }
//! ```

pub mod cache;
pub mod catalogue;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod edit;
pub mod feeds;
pub mod links;
pub mod listing;
pub mod markdown;
pub mod messages;
pub mod open_data;
pub mod output;
pub mod paths;
pub mod posting;
pub mod progress;
pub mod qr;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod stamp;
pub mod stats;
pub mod structured_data;
pub mod text;
pub mod theme;

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use config::Config;
use diagnostics::{Diagnostic, Failure};
use links::LinkCheck;
use messages::Language;
use output::{Data, Writer};
use progress::{Progress, Stage, Timing};
use rayon::prelude::*;
use render::{Emit, Purpose};
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
    /// Speaks on standard error while the run goes, in this language: the
    /// progress of a long run when it is a terminal (nothing is drawn
    /// otherwise), and a line when a build waits for another build into the
    /// same output folder.
    pub progress: Option<Language>,
}

/// What a successful build or check did.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Published procedures.
    pub procedures: usize,
    /// Files in the built site; for `check`, those besides the search index.
    pub files: usize,
    /// Of those, the files a build kept as the last build made them, their
    /// inputs unchanged ([`cache`]); 0 for `check`.
    pub kept: usize,
    /// The output folder (written by `build` only).
    pub output: PathBuf,
    /// Problems that do not stop the build, sorted.
    pub warnings: Vec<Diagnostic>,
    /// How long each stage took, in the order the stages ran.
    pub timings: Vec<Timing>,
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
/// and the previous output stays as it was. What did not change since the
/// last build is kept rather than made again ([`cache`]). One build at a
/// time writes into a folder: another waits for it ([`output::lock`]).
pub fn build(options: &Options) -> Result<Summary, Failure> {
    let output = output::place(&options.root, &options.output.clone().unwrap_or_else(|| options.root.join("public")))?;
    let _locked = output::lock(&output, || {
        if let Some(language) = options.progress {
            eprintln!("{}", msg!("output_busy", path = output.display().to_string()).render(language));
        }
    })?;
    let progress = Progress::start(options.progress);
    let ((previous, last), loaded) = rayon::join(
        || {
            let mut last = cache::Last::read(&output);
            let stamps = |manifest: &str| last.as_mut().map(|last| last.check_output(manifest)).unwrap_or_default();
            (output::check_ours(&output, stamps), last)
        },
        || load(options, &progress, Some(&output)),
    );
    let previous = previous?;
    let Loaded { mut site, theme, cache } = loaded?;
    let cache = cache.expect("a build begins its cache as it loads");
    let writer = Writer::start(&output, previous)?;
    let links = LinkCheck::default();
    let rebuild = cache::Rebuild::open(last, render::site_fingerprint(&site, &theme), &writer, &links);
    let emit = |path: &str, data: Data<'_>| {
        links.see(path, data);
        writer.put(path, data)
    };
    let files = render_site(&site, &theme, &progress, &emit, Some(&rebuild), Purpose::Publish)
        .inspect_err(|_| writer.abandon())?;
    progress.stage(Stage::Write);
    let kept = rebuild.kept();
    // The pages' links are checked while the cache is written, before the output is put in place.
    let (finished, cache) = rayon::join(
        || broken_links(&site, &theme, &links).and_then(|broken| Ok((broken, writer.finish()?))),
        || cache.record(rebuild.record()),
    );
    let (broken, folders) = finished.inspect_err(|_| writer.abandon())?;
    let (procedures, warnings) =
        (site.procedures.len(), with_link_warnings(std::mem::take(&mut site.warnings), broken));
    free_in_background((site, theme, writer, links));
    cache.seal(&folders);
    let timings = progress.finish();
    Ok(Summary { procedures, files, kept, output, warnings, timings })
}

/// Checks everything a build would, and renders every page in memory, but
/// writes nothing. It does not make what cannot fail and holds no link it
/// reads: the search index ([`Summary::files`] counts the other files) and
/// the [`DATA_FILES`], which it only names.
pub fn check(options: &Options) -> Result<Summary, Failure> {
    let progress = Progress::start(options.progress);
    let Loaded { mut site, theme, .. } = load(options, &progress, None)?;
    let links = LinkCheck::without(search::FOLDER);
    let emit = |path: &str, data: Data<'_>| {
        links.see(path, data);
        Ok(())
    };
    let files = render_site(&site, &theme, &progress, &emit, None, Purpose::Check)?;
    for path in DATA_FILES {
        links.see(path, Data::Bytes(&[]));
    }
    let output = options.output.clone().unwrap_or_else(|| options.root.join("public"));
    progress.stage(Stage::Checks);
    let broken = broken_links(&site, &theme, &links)?;
    let (procedures, warnings) =
        (site.procedures.len(), with_link_warnings(std::mem::take(&mut site.warnings), broken));
    free_in_background((site, theme, links));
    let timings = progress.finish();
    Ok(Summary { procedures, files, kept: 0, output, warnings, timings })
}

/// Frees `held` on a thread of its own, so that a command answers without
/// first freeing, piece by piece, the site it read and what it made of it
/// (`check` at 10,000 procedures answers about 30 ms sooner); a process that
/// ends before the thread leaves the rest to the operating system.
fn free_in_background<T: Send + 'static>(held: T) {
    // A thread that cannot be started drops `held` at once, in its place.
    let _ = std::thread::Builder::new().spawn(move || drop(held));
}

/// The built files' links that lead to no file of the build, as warnings on
/// the files, but for site paths already reported where the Markdown writes
/// them: the pages with such links are made again, as published, to say
/// where each link is.
fn broken_links(site: &Site, theme: &Theme, links: &LinkCheck) -> Result<Vec<Diagnostic>, Failure> {
    let pages = links.pages_with_broken_links(&site.dead_links);
    if pages.is_empty() {
        return Ok(Vec::new());
    }
    let mut warnings = Vec::new();
    for (path, bytes) in pages.iter().filter_map(|path| static_file(site, theme, path).map(|bytes| (path, bytes))) {
        warnings.extend(links.broken_in(path, bytes, &site.dead_links));
    }
    for (path, html) in render::render_files(site, theme, &pages)? {
        warnings.extend(links.broken_in(&path, html.as_bytes(), &site.dead_links));
    }
    Ok(warnings)
}

/// The content's warnings and those of the built pages' links, sorted.
fn with_link_warnings(mut warnings: Vec<Diagnostic>, links: Vec<Diagnostic>) -> Vec<Diagnostic> {
    warnings.extend(links);
    warnings.sort();
    warnings
}

/// The language to speak in about the site at `root`: its site.toml's
/// `language`, read leniently (Vietnamese when it cannot be read), so that
/// even a broken site.toml is explained in the site's language.
pub fn message_language(root: &Path) -> Language {
    let text = std::fs::read_to_string(root.join(config::FILE_NAME)).unwrap_or_default();
    let language =
        text.parse::<toml::Table>().ok().and_then(|t| t.get("language").and_then(|l| l.as_str().map(str::to_owned)));
    match language.as_deref() {
        Some("en") => Language::En,
        _ => Language::Vi,
    }
}

/// The statistics of contract §8 over the site's active procedures.
pub fn report(options: &Options, format: ReportFormat) -> Result<String, Failure> {
    let Loaded { site, theme, .. } = load(options, &Progress::start(None), None)?;
    let stats = stats::compute(&site);
    Ok(match format {
        ReportFormat::Text => stats::text_report(&stats, &site.config.title, site.config.language, &theme.strings),
        ReportFormat::Json => serde_json::to_string_pretty(&stats).expect("statistics serialise") + "\n",
    })
}

/// Writes a new procedure, notice or page file for staff to fill in, every
/// field explained in the site's language (`niemyet new`). Never overwrites a file.
pub fn new_file(request: &scaffold::NewFile) -> Result<scaffold::Created, Failure> {
    scaffold::write(request)
}

/// Reads a catalogue table (`.xlsx`, `.xls`, `.ods`, `.csv`) into the site
/// (`niemyet import`): new codes become procedure files, known codes are
/// updated in place; every file is written, or none.
pub fn import(options: &catalogue::ImportOptions) -> Result<catalogue::Imported, Failure> {
    catalogue::import(options)
}

/// Writes the site's catalogue as a table (`niemyet export`, `.xlsx` or
/// `.csv`). Returns how many procedures it lists.
pub fn export(root: &Path, file: &Path) -> Result<usize, Failure> {
    catalogue::export::export(root, file)
}

/// A site read and checked across files, with its theme.
struct Loaded {
    site: Site,
    theme: Theme,
    /// To build, the cache for the next build, begun with the procedures
    /// this one parsed ([`content::kept`]).
    cache: Option<cache::Staged>,
}

/// Reads site.toml, the theme and the content, and checks them across files;
/// to build into `output`, it takes back what the last build there parsed
/// of the procedure files that did not change ([`content::kept`]), and
/// begins the cache for the next build with what it parsed.
fn load(options: &Options, progress: &Progress, output: Option<&Path>) -> Result<Loaded, Failure> {
    progress.stage(Stage::Load);
    if !options.root.is_dir() {
        return Err(Failure::Usage(msg!("no_site_folder", path = options.root.display().to_string())));
    }
    let mut config = Config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.base_url = config::normalize_base_url(url).map_err(Failure::Usage)?;
    }
    let theme = Theme::load(&options.root, &config);
    let kept = output.and_then(cache::kept_inputs);
    let parsed = kept.map(|kept| content::kept::Parsed::read(kept, &config, &options.root)).unwrap_or_default();
    let mut content = content::load(&options.root, &config, &parsed)?;
    drop(parsed);
    let stamps = std::mem::take(&mut content.stamps);
    let procedures = content.procedures.clone();
    let inputs = content::kept::Keep::new(&config, &procedures, &stamps);
    progress.stage(Stage::Checks);
    // The cache is begun while the procedures are checked across files, which takes one core.
    let (site, cache) = rayon::join(
        || Site::new(config, content, options.drafts),
        || output.map(|output| cache::Staged::begin(output, &inputs)),
    );
    match (site, theme) {
        (Ok(site), Ok(theme)) => Ok(Loaded { site, theme, cache }),
        (_, Err(failure @ Failure::Usage(_))) => Err(failure),
        (Err(Failure::Content(mut errors)), Err(Failure::Content(more))) => {
            errors.extend(more);
            Err(Failure::content(errors))
        }
        (Err(failure), _) | (_, Err(failure)) => Err(failure),
    }
}

/// Makes every file of the site — pages, sitemaps, the theme's assets, the
/// site's static files and, to publish, the data files and the search index
/// — and hands each to `emit`, telling `progress` how far it is, the pages
/// made for `purpose`; with `rebuild`, the pages, the open data and the search
/// index that did not change since the last build are kept instead, and a search
/// index made again reads only the procedure files that changed. Returns how many files
/// there were (for `check`, without the search index).
pub fn render_site(
    site: &Site,
    theme: &Theme,
    progress: &Progress,
    emit: &Emit<'_>,
    rebuild: Option<&cache::Rebuild<'_>>,
    purpose: Purpose,
) -> Result<usize, Failure> {
    progress.stage(Stage::Render);
    // The search index is made alongside the pages, so that neither leaves a core idle while the other ends.
    let ((pages, others), indexed) = rayon::join(
        || {
            rayon::join(
                || render::render_pages(site, theme, progress, emit, rebuild, purpose),
                || besides_pages(site, theme, emit, rebuild, purpose),
            )
        },
        || match purpose {
            Purpose::Check => Ok(0),
            Purpose::Publish => progress.alongside(Stage::SearchIndex, || search_index(site, theme, emit, rebuild)),
        },
    );
    Ok(pages? + others? + indexed?)
}

/// Makes the search index and hands its files to `emit`; with `rebuild`,
/// keeps it whole when nothing it is made from changed, or else reads again
/// only the procedure files that changed and keeps the files whose inputs
/// did not. Returns how many files it has.
fn search_index(
    site: &Site,
    theme: &Theme,
    emit: &Emit<'_>,
    rebuild: Option<&cache::Rebuild<'_>>,
) -> Result<usize, Failure> {
    let mut known = None;
    if let Some(rebuild) = rebuild {
        if let Some(kept) = rebuild.keep(search::FOLDER, search::fingerprint(site, rebuild.shared())) {
            return Ok(kept);
        }
        // The terms the last build found in each procedure file, if it left them.
        known = rebuild.take_memo(search::FOLDER).and_then(|memo| search::Terms::from_memo(&memo));
    }
    let put = |path: &str, bytes: &[u8]| emit(path, Data::Bytes(bytes));
    let keep = |paths: &[&str]| rebuild.is_some_and(|rebuild| rebuild.keep_files(paths));
    let search::Index { paths, terms } = search::index(site, &theme.strings, known.unwrap_or_default(), &put, &keep)?;
    let made = paths.len();
    if let Some(rebuild) = rebuild {
        rebuild.made(search::FOLDER, paths);
        rebuild.remember(search::FOLDER, terms);
    }
    Ok(made)
}

/// Makes the files that are neither pages nor the search index — the data
/// files (to publish only), the sitemaps, the theme's assets and the site's
/// static files — and hands each to `emit`; with `rebuild`, the open data
/// files are kept while what they are made from is unchanged. Returns how
/// many files of these kinds the built site has (the data files counted for `check` too).
fn besides_pages(
    site: &Site,
    theme: &Theme,
    emit: &Emit<'_>,
    rebuild: Option<&cache::Rebuild<'_>>,
    purpose: Purpose,
) -> Result<usize, Failure> {
    if purpose == Purpose::Publish {
        let open_data = rebuild.map(|_| open_data::fingerprint(site));
        DATA_FILES.par_iter().try_for_each(|path| {
            let input = open_data.filter(|_| path.starts_with(open_data::FOLDER));
            if rebuild.zip(input).is_some_and(|(rebuild, input)| rebuild.keep(path, input).is_some()) {
                return Ok(());
            }
            emit(path, Data::Pieces(&|out: &mut dyn Write| write_data_file(site, theme, path, out)))
        })?;
    }
    let mut files = DATA_FILES.len();
    for (path, xml) in feeds::sitemaps(site) {
        emit(&path, Data::Bytes(xml.as_bytes()))?;
        files += 1;
    }
    let own: HashSet<&str> = site.static_files.iter().map(|(path, _)| path.as_str()).collect();
    for (rel, bytes) in &theme.static_files {
        let path = format!("assets/{rel}");
        if !own.contains(path.as_str()) {
            emit(&path, Data::Bytes(bytes))?;
            files += 1;
        }
    }
    for (path, bytes) in &site.static_files {
        emit(path, Data::Bytes(bytes))?;
        files += 1;
    }
    Ok(files)
}

/// The static file at output path `path` as the build writes it: the site's
/// own (from `static/`) or else the theme's asset (under `assets/`).
fn static_file<'a>(site: &'a Site, theme: &'a Theme, path: &str) -> Option<&'a [u8]> {
    let own = site.static_files.iter().find(|(own, _)| own == path).map(|(_, bytes)| &**bytes);
    own.or_else(|| path.strip_prefix("assets/").and_then(|rel| theme.static_files.get(rel)).map(Vec::as_slice))
}

/// The files every site has besides its pages, its sitemaps
/// ([`feeds::sitemaps`]), the search index and the static files, by output path.
pub const DATA_FILES: [&str; 4] = ["robots.txt", "feed.xml", "du-lieu/thu-tuc.json", "du-lieu/thu-tuc.csv"];

/// Makes the file at output path `path`, one of [`DATA_FILES`] or a
/// sitemap; `None` for any other path.
pub fn data_file(site: &Site, theme: &Theme, path: &str) -> Option<Vec<u8>> {
    if path.starts_with("sitemap") && path.ends_with(".xml") {
        return feeds::sitemaps(site).into_iter().find(|(p, _)| p == path).map(|(_, xml)| xml.into_bytes());
    }
    if !DATA_FILES.contains(&path) {
        return None;
    }
    let mut bytes = Vec::new();
    write_data_file(site, theme, path, &mut bytes).expect("writing to memory");
    Some(bytes)
}

/// Writes the file at output path `path`, one of [`DATA_FILES`], into `out`,
/// in pieces: the open data of a large site is too large to hold whole.
fn write_data_file(site: &Site, theme: &Theme, path: &str, out: &mut dyn Write) -> std::io::Result<()> {
    match path {
        "robots.txt" => out.write_all(feeds::robots(site).as_bytes()),
        "feed.xml" => out.write_all(feeds::atom(site, &theme.strings).as_bytes()),
        "du-lieu/thu-tuc.json" => open_data::write_json(site, out),
        "du-lieu/thu-tuc.csv" => open_data::write_csv(site, out),
        _ => unreachable!("{path} is not one of the data files"),
    }
}
